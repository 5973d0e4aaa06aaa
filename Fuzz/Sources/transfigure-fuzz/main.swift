// transfigure-fuzz TARGET [libFuzzer options] [CORPUS…]
//
// Runs one fuzz target under libFuzzer. The binary is linked against libFuzzer's no-main
// archive (see scripts/fuzz.sh), so `main` is ours and hands over through LLVMFuzzerRunDriver.
import Foundation

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTarget.all[arguments[1]] else {
    let names = FuzzTarget.all.keys.sorted().joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: transfigure-fuzz TARGET [libFuzzer options] [CORPUS…]\ntargets: \(names)\n".utf8))
    exit(2)
}
FuzzTarget.selected = target

// libFuzzer sees the program name followed by everything after the target name.
var argc = Int32(CommandLine.argc - 1)
let shifted = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: Int(CommandLine.argc))
shifted[0] = CommandLine.unsafeArgv[0]
for index in 2..<Int(CommandLine.argc) { shifted[index - 1] = CommandLine.unsafeArgv[index] }
shifted[Int(CommandLine.argc) - 1] = nil
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = shifted
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    FuzzTarget.selected?.run(bytes)
    return 0
})
