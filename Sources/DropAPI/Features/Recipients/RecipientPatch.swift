/// `PATCH /v1/recipients/{id}`: only the fields present change. `null` (or an empty string)
/// clears a field; `address` is replaced as a whole. Unknown fields are refused, so a typo
/// never looks like a successful change.
public struct RecipientPatch: Decodable, Sendable {
    /// Changed text fields by API name; nil clears the field.
    public var fields: [String: String?] = [:]
    /// nil = not sent; .some(nil) = clear the address.
    public var address: RecipientInput.Address??

    static let textFields: Set<String> = [
        "name", "country", "currency", "iban", "accountNumber", "bic", "ifsc", "routingNumber", "bankName", "relationship",
    ]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var unknown: [ErrorDetail] = []
        for key in container.allKeys {
            if key.stringValue == "address" {
                let value: RecipientInput.Address? = try container.decodeNil(forKey: key)
                    ? nil : try container.decode(RecipientInput.Address.self, forKey: key)
                address = .some(value)
            } else if Self.textFields.contains(key.stringValue) {
                let value: String? = try container.decodeNil(forKey: key) ? nil : try container.decode(String.self, forKey: key)
                fields[key.stringValue] = .some(value)
            } else {
                unknown.append(ErrorDetail(field: key.stringValue, issue: "unknown", message: "There is no such field."))
            }
        }
        guard unknown.isEmpty else { throw AppError.validation("Some fields are not recipient fields.", details: unknown) }
    }

    public var isEmpty: Bool { fields.isEmpty && address == nil }

    /// `input` with this patch applied.
    func applied(to input: RecipientInput) -> RecipientInput {
        var result = input
        for (field, value) in fields {
            switch field {
            case "name": result.name = value
            case "country": result.country = value
            case "currency": result.currency = value
            case "iban": result.iban = value
            case "accountNumber": result.accountNumber = value
            case "bic": result.bic = value
            case "ifsc": result.ifsc = value
            case "routingNumber": result.routingNumber = value
            case "bankName": result.bankName = value
            case "relationship": result.relationship = value
            default: break
            }
        }
        if let address { result.address = address }
        return result
    }

    /// The names of the changed fields, for the audit log (never their values).
    var changedFields: [String] {
        (Array(fields.keys) + (address != nil ? ["address"] : [])).sorted()
    }
}
