import DropCore
import DropStore
import Foundation

/// A recipient as the API shows it to its owner. Absent fields are left out.
public struct RecipientView: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let country: String
    public let currency: String
    public let iban: String?
    public let accountNumber: String?
    public let bic: String?
    public let ifsc: String?
    public let routingNumber: String?
    public let bankName: String?
    public let address: RecipientInput.Address?
    public let relationship: String?
    /// How transfers to this recipient travel (`sepa` or `swift`), from its corridor.
    public let rail: String?
    /// The fingerprint of the payee as shown (`PayeeSnapshot.version`): a transfer confirmed with it
    /// pays this payee or is refused with `RECIPIENT_CHANGED`.
    public let payeeVersion: String
    /// False for a recipient saved with a name or address its rail can't carry (before payments abroad
    /// had to be in Latin letters): a transfer to it is refused until it is edited.
    public let payable: Bool
    /// Why it is not payable (`characters`) and which field to edit (`name`, `address.city`…); absent when payable.
    public let notPayableReason: String?
    public let notPayableField: String?
    public let createdAt: Date
    public let updatedAt: Date

    init(_ record: RecipientRecord) {
        id = record.id
        name = record.name
        country = record.country
        currency = record.currency
        iban = record.iban
        accountNumber = record.accountNumber
        bic = record.bic
        ifsc = record.ifsc
        routingNumber = record.routingNumber
        bankName = record.bankName
        address = RecipientInput(record).address
        relationship = record.relationship
        rail = CountryCode(rawValue: record.country).flatMap { country in
            Currency(rawValue: record.currency).flatMap { Corridors.find(country: country, currency: $0) }
        }?.rail.rawValue
        payeeVersion = PayeeSnapshot(recipient: record).version
        notPayableField = record.unwritableField
        payable = notPayableField == nil
        notPayableReason = notPayableField.map { _ in RecipientValidator.IssueCode.characters }
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}
