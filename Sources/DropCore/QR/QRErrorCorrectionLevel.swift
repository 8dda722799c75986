/// How much of a QR symbol can be damaged and still read (ISO/IEC 18004 §7.5.1).
/// More recovery costs capacity, so the same payload needs a larger version.
public enum QRErrorCorrectionLevel: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Recovers about 7 % of codewords.
    case low = "L"
    /// Recovers about 15 %: the default, a good trade-off for screens and paper.
    case medium = "M"
    /// Recovers about 25 %: for printed codes that get scuffed.
    case quartile = "Q"
    /// Recovers about 30 %.
    case high = "H"

    public var description: String { rawValue }

    /// The two bits the format information carries. The standard's order is not L, M, Q, H (Table 12).
    var formatBits: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }

    /// Row index into the capacity tables in `QRVersion`.
    var tableIndex: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }
}
