import ArgumentParser

/// `transfigure pe`.
struct PECommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pe", abstract: "Not written yet.")

    func run() throws {
        throw CommandError(description: "pe: not written yet")
    }
}
