/// A QR code symbol (ISO/IEC 18004, Model 2) holding one byte-mode segment.
///
/// The version is the smallest that fits (at or above `minimumVersion`) and the mask the one with
/// the lowest penalty score. The value is the module matrix only; the quiet zone is added by
/// renderers, which must keep `QRCode.quietZone` light modules on every side.
///
///     let code = try QRCode(text: "https://drop.no/pay/ABC123")
///     let svg = code.svg(title: "Betal med Drop")
public struct QRCode: Sendable, Hashable {
    /// Light modules a reader needs around the symbol (§6.3.8).
    public static let quietZone = 4

    public let version: QRVersion
    public let errorCorrectionLevel: QRErrorCorrectionLevel
    public let mask: QRMask
    let grid: QRModuleGrid

    /// Encodes the text's UTF-8 bytes. No ECI header is written: readers detect UTF-8, and an ECI
    /// trips some older scanners.
    public init(
        text: String,
        errorCorrectionLevel: QRErrorCorrectionLevel = .medium,
        minimumVersion: QRVersion = .minimum
    ) throws(QRCodeError) {
        try self.init(bytes: Array(text.utf8), errorCorrectionLevel: errorCorrectionLevel, minimumVersion: minimumVersion)
    }

    /// Encodes bytes as they are. `mask` forces a mask pattern (for tests and comparisons); by
    /// default the standard's penalty rules choose. A `minimumVersion` keeps the symbol's size
    /// stable when payloads vary a little.
    public init(
        bytes: some Sequence<UInt8>,
        errorCorrectionLevel level: QRErrorCorrectionLevel = .medium,
        minimumVersion: QRVersion = .minimum,
        mask forcedMask: QRMask? = nil
    ) throws(QRCodeError) {
        let payload = Array(bytes)
        guard let smallest = QRDataEncoder.smallestVersion(forByteCount: payload.count, level: level) else {
            throw .payloadTooLong(byteCount: payload.count, maximum: QRVersion.maximum.byteCapacity(level), level: level)
        }
        let version = max(smallest, minimumVersion)
        let data = QRDataEncoder.dataCodewords(payload, version: version, level: level)
        var builder = QRMatrixBuilder(version: version)
        builder.placeCodewords(QRDataEncoder.finalCodewords(data, version: version, level: level))

        let candidates = forcedMask.map { [$0] } ?? QRMask.all
        var chosen = (mask: candidates[0], grid: builder.masked(with: candidates[0], level: level))
        if candidates.count > 1 {
            // Strictly lower wins, so ties keep the lower mask number, as in the reference encoders.
            var lowest = QRPenalty.score(chosen.grid)
            for mask in candidates.dropFirst() {
                let grid = builder.masked(with: mask, level: level)
                let penalty = QRPenalty.score(grid)
                if penalty < lowest { (lowest, chosen) = (penalty, (mask, grid)) }
            }
        }
        self.version = version
        self.errorCorrectionLevel = level
        self.mask = chosen.mask
        self.grid = chosen.grid
    }

    /// Modules per side, without the quiet zone.
    public var size: Int { grid.size }

    /// Whether the module is dark. Anything outside the symbol is light, like the quiet zone.
    public func isDark(row: Int, column: Int) -> Bool {
        guard (0..<size).contains(row), (0..<size).contains(column) else { return false }
        return grid[row, column]
    }

    /// The symbol as SVG; see `QRSVGRenderer`.
    public func svg(title: String) -> String {
        QRSVGRenderer(title: title).render(self)
    }
}
