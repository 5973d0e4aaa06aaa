import ArgumentParser

/// `transfigure rope`.
struct RoPECommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rope", abstract: "Not written yet.")

    func run() throws {
        throw CommandError(description: "rope: not written yet")
    }
}
