import ArgumentParser

/// `transfigure attention`.
struct AttentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attention", abstract: "Not written yet.")

    func run() throws {
        throw CommandError(description: "attention: not written yet")
    }
}
