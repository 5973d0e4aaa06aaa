/// Why a figure cannot be laid out.
public enum FigureError: Error, Equatable, CustomStringConvertible {
    /// There is nothing to draw.
    case empty(String)
    /// Labels do not match the data.
    case labels(String)

    public var description: String {
        switch self {
        case .empty(let reason), .labels(let reason): return reason
        }
    }
}
