import DropAPI
import DropKit
import Foundation
import Testing

/// DropKit may require of an answer only what the contract (openapi.json) promises: for each schema
/// the app reads, the smallest answers the contract allows must decode into DropKit's type, both the
/// barest (required properties only, a nullable one null) and one that also carries every optional
/// object, itself as small as it may be (so what DropKit requires inside those is checked too). A
/// field DropKit requires and the server may leave out would make the app fail to read a whole list
/// (a recipient without a post code did).
@Suite("DropKit against the contract: the smallest answer openapi.json allows decodes")
struct DropKitContractTests {
    typealias Check = (Data) throws -> Void

    static func check<Value: Decodable>(_ type: Value.Type) -> Check {
        { data in _ = try DropClient.decoder.decode(type, from: data) }
    }

    /// The contract's answer schemas, by the DropKit type the app reads each into.
    static var answers: [(schema: String, decodes: Check)] { [
        ("User", check(User.self)), ("Consent", check(Consent.self)), ("KYCStart", check(KYCStart.self)),
        ("KYCStatus", check(KYCStatus.self)), ("Settings", check(Settings.self)), ("SpendingLimits", check(SpendingLimits.self)),
        ("IssuedToken", check(IssuedToken.self)), ("EmailConfirmation", check(EmailConfirmation.self)),
        ("EmailConfirmed", check(EmailConfirmed.self)),
        ("Bank", check(Bank.self)), ("BankAccount", check(BankAccount.self)), ("Balance", check(Balance.self)),
        ("BankConnectStarted", check(BankConnectStarted.self)),
        ("Corridor", check(Corridor.self)), ("ExchangeRate", check(ExchangeRate.self)), ("Quote", check(Quote.self)),
        ("Price", check(Price.self)), ("Recipient", check(Recipient.self)),
        ("Transaction", check(DropKit.Transaction.self)), ("TransactionCreated", check(TransactionCreated.self)),
        ("StandingOrder", check(StandingOrder.self)), ("StandingOrderStarted", check(StandingOrderStarted.self)),
        ("TrackedTransfer", check(TrackedTransfer.self)),
        ("Merchant", check(Merchant.self)), ("PublicMerchant", check(PublicMerchant.self)), ("MerchantPayment", check(MerchantPayment.self)),
        ("MerchantDashboard", check(MerchantDashboard.self)), ("MerchantEvent", check(MerchantEvent.self)),
        ("Notification", check(DropNotification.self)), ("NotificationList", check(NotificationList.self)),
        ("Complaint", check(Complaint.self)), ("DataAccessRequest", check(DataAccessRequest.self)),
        ("ErasureReceipt", check(ErasureReceipt.self)), ("DataExport", check(DataExport.self)),
    ] }

    @Test(arguments: answers.map(\.schema), [Contract.Shape.barest, .withOptionalObjects])
    func theSmallestAnswerTheContractAllowsDecodes(schema: String, shape: Contract.Shape) throws {
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.data) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let contract = Contract(schemas: schemas, shape: shape)
        let minimal = try contract.smallest(of: try #require(schemas[schema] as? [String: Any], "\(schema) is not in openapi.json"))
        let data = try JSONSerialization.data(withJSONObject: minimal)
        let decodes = try #require(Self.answers.first { $0.schema == schema }).decodes
        #expect(throws: Never.self, "\(schema): \(String(decoding: data, as: UTF8.self))") { try decodes(data) }
    }
}

/// Builds the smallest value a schema allows: required properties only, the first of an enum, a
/// date-time or date where the format says so, an empty array.
struct Contract {
    enum Shape: Sendable, CustomTestStringConvertible {
        /// Required properties only; one that may be null is null.
        case barest
        /// Optional objects and lists of them present too, each as small as it may be.
        case withOptionalObjects

        var testDescription: String { self == .barest ? "barest" : "with optional objects" }
    }

    let schemas: [String: Any]
    let shape: Shape

    struct Unreadable: Error { let schema: String }

    /// Whether the value is an object, or a list of objects, rather than a string, number or flag.
    func holdsObjects(_ schema: [String: Any], depth: Int = 0) -> Bool {
        guard depth < 8 else { return false }
        if let reference = schema["$ref"] as? String {
            return (schemas[String(reference.split(separator: "/").last ?? "")] as? [String: Any]).map { holdsObjects($0, depth: depth + 1) } ?? false
        }
        if schema["allOf"] != nil || schema["properties"] != nil { return true }
        let types: [String] = (schema["type"] as? [String]) ?? [schema["type"] as? String].compactMap { $0 }
        if types.contains("object") { return true }
        if types.contains("array"), let items = schema["items"] as? [String: Any] { return holdsObjects(items, depth: depth + 1) }
        return false
    }

    func mayBeNull(_ schema: [String: Any]) -> Bool {
        (schema["type"] as? [String])?.contains("null") == true || schema["nullable"] as? Bool == true
            || ((schema["oneOf"] ?? schema["anyOf"]) as? [[String: Any]])?.contains { $0["type"] as? String == "null" } == true
    }

    func smallest(of schema: [String: Any]) throws -> Any {
        if let reference = schema["$ref"] as? String {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let target = schemas[name] as? [String: Any] else { throw Unreadable(schema: reference) }
            return try smallest(of: target)
        }
        if let all = schema["allOf"] as? [[String: Any]] {
            var merged: [String: Any] = [:]
            for part in all { if let object = try smallest(of: part) as? [String: Any] { merged.merge(object) { first, _ in first } } }
            return merged
        }
        if let options = (schema["oneOf"] ?? schema["anyOf"]) as? [[String: Any]], let first = options.first {
            return try smallest(of: first)
        }
        if let values = schema["enum"] as? [Any], let first = values.first { return first }
        if let constant = schema["const"] { return constant }
        let type: String? = if let types = schema["type"] as? [String] { types.first { $0 != "null" } } else { schema["type"] as? String }
        switch type {
        case "object", nil:
            let properties = schema["properties"] as? [String: Any] ?? [:]
            let required = Set(schema["required"] as? [String] ?? [])
            var object: [String: Any] = [:]
            for (name, property) in properties {
                let property = property as? [String: Any] ?? [:]
                if required.contains(name) {
                    object[name] = shape == .barest && mayBeNull(property) ? NSNull() : try smallest(of: property)
                } else if shape == .withOptionalObjects && holdsObjects(property) {
                    object[name] = try smallest(of: property)
                }
            }
            return object
        case "array":
            guard let items = schema["items"] as? [String: Any], holdsObjects(items) || holdsObjects(schema) else { return [Any]() }
            return [try smallest(of: items)]
        case "integer": return (schema["minimum"] as? Int) ?? 0
        case "number": return 0
        case "boolean": return false
        default:
            switch schema["format"] as? String {
            case "date-time": return "2026-12-04T12:00:00Z"
            case "date": return "2026-12-04"
            case "uri": return "https://drop.example/x"
            default: return String(repeating: "x", count: max(1, schema["minLength"] as? Int ?? 1))
            }
        }
    }
}
