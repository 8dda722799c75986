/// Why a payload could not become a QR code.
public enum QRCodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Even version 40 cannot hold this many bytes at this level; `maximum` is what would fit.
    case payloadTooLong(byteCount: Int, maximum: Int, level: QRErrorCorrectionLevel)

    public var description: String {
        switch self {
        case .payloadTooLong(let byteCount, let maximum, let level):
            "QR payload of \(byteCount) bytes is too long: at most \(maximum) bytes fit at level \(level)"
        }
    }
}
