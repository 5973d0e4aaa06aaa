import ArgumentParser

/// `transfigure beam`.
struct BeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "beam", abstract: "Not written yet.")

    func run() throws {
        throw CommandError(description: "beam: not written yet")
    }
}
