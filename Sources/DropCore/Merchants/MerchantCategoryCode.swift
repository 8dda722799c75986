/// A merchant category code (ISO 18245): four digits saying what the business sells.
///
/// Drop takes payments for goods and services only. Categories that would turn a QR payment into
/// cash, a money transfer or a bet are refused: they need licences and checks Drop does not do.
public struct MerchantCategoryCode: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    /// Cash and quasi-cash (ATM, manual cash, money orders, wire transfers, stored value, crypto
    /// and foreign currency), and gambling.
    public static let refused: Set<String> = ["4829", "6010", "6011", "6012", "6051", "6211", "6540", "7800", "7801", "7802", "7995"]

    public init(_ input: String) throws(ValidationIssue) {
        let field = "mcc"
        let bytes = Array(input.utf8).filter { $0 != 0x20 }
        guard bytes.allSatisfy(ASCII.isDigit) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format, message: "A merchant category code has four digits.")
        }
        guard bytes.count == 4 else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.length, message: "A merchant category code has four digits.")
        }
        let digits = ASCII.string(bytes)
        // 0000–0741 are unassigned in ISO 18245; the first real category is 0742 (veterinary services).
        guard let number = Int(digits), number >= 742 else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.format, message: "This is not an assigned merchant category code.")
        }
        guard !Self.refused.contains(digits) else {
            throw ValidationIssue(field: field, issue: ValidationIssue.Code.unsupported,
                                  message: "Drop does not take payments for this kind of business.")
        }
        self.digits = digits
    }

    public static func isValid(_ input: String) -> Bool { (try? MerchantCategoryCode(input)) != nil }

    public var description: String { digits }
}

/// Bounds on one QR payment, in NOK. The top is the product's per-payment maximum; the bottom
/// is one krone, since a shop sells coffee, not only transfers worth a bank fee.
public enum QRPaymentLimits {
    public static let minimum = Money(minorUnits: 1_00, currency: .nok)
    public static let maximum = TransferAmountLimits.maximum

    public static func contains(_ amountMinor: Int64) -> Bool {
        (minimum.minorUnits...maximum.minorUnits).contains(amountMinor)
    }
}
