import Foundation
import SQLKit

/// Who a remittance pays, exactly as quoted and screened when the transfer was made. The
/// pain.001, receipts, history, exports and AML read this copy: editing or deleting the
/// recipient afterwards never changes where an existing transfer's money goes.
public struct PayeeSnapshot: Sendable, Equatable, Codable {
    public var name: String
    public var country: String
    public var currency: String
    public var iban: String?
    public var accountNumber: String?
    public var bic: String?
    public var ifsc: String?
    public var routingNumber: String?
    public var bankName: String?
    public var addressStreet: String?
    public var addressPostCode: String?
    public var addressCity: String?
    public var addressCountry: String?

    public init(recipient: RecipientRecord) {
        name = recipient.name
        country = recipient.country
        currency = recipient.currency
        iban = recipient.iban
        accountNumber = recipient.accountNumber
        bic = recipient.bic
        ifsc = recipient.ifsc
        routingNumber = recipient.routingNumber
        bankName = recipient.bankName
        addressStreet = recipient.addressStreet
        addressPostCode = recipient.addressPostCode
        addressCity = recipient.addressCity
        addressCountry = recipient.addressCountry
    }

    /// The columns on `transactions` (aliased `t`) that hold the snapshot.
    public static let columns = """
        t.payee_name, t.payee_country, t.payee_currency, t.payee_iban, t.payee_account_number, t.payee_bic, t.payee_ifsc,
        t.payee_routing_number, t.payee_bank_name, t.payee_address_street, t.payee_address_post_code, t.payee_address_city,
        t.payee_address_country
        """

    /// Reads the snapshot from a row selected with `columns`; nil for a QR payment (it pays a merchant).
    public init?(row: any SQLRow) throws {
        guard let name = try row.decode(column: "payee_name", as: String?.self),
              let country = try row.decode(column: "payee_country", as: String?.self),
              let currency = try row.decode(column: "payee_currency", as: String?.self) else { return nil }
        func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        self.name = name
        self.country = country
        self.currency = currency
        iban = try text("payee_iban")
        accountNumber = try text("payee_account_number")
        bic = try text("payee_bic")
        ifsc = try text("payee_ifsc")
        routingNumber = try text("payee_routing_number")
        bankName = try text("payee_bank_name")
        addressStreet = try text("payee_address_street")
        addressPostCode = try text("payee_address_post_code")
        addressCity = try text("payee_address_city")
        addressCountry = try text("payee_address_country")
    }
}
