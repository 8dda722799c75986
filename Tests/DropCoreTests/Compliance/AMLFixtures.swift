import Foundation
import Testing
@testable import DropCore

/// Builders shared by the AML tests: a fixed clock, NOK amounts, transfers at offsets from now.
enum AML {
    /// 2026-03-02 12:00:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_772_452_800)
    static let minute: TimeInterval = 60
    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86400

    static let recipientId = "5f0c7a52-1d7e-4c9b-9f1e-2b8a6d3c4e10"
    static let otherRecipientId = "a3d9e1f0-6b2c-4f8a-8e7d-9c1b2a3f4e5d"
    static let transferId = "01957a3c-0000-7000-8000-00000000abcd"

    static func nok(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .nok) }
    static func country(_ code: String) -> CountryCode { CountryCode(rawValue: code)! }

    /// A transfer being created now. Defaults: 1 000 NOK to Poland, a known recipient added 90 days ago.
    static func context(
        _ minor: Int64 = 1_000_00, to destination: String = "PL", recipientId: String = recipientId,
        firstTransfer: Bool = false, recipientAddedAgo: TimeInterval = 90 * day, transferId: String? = nil
    ) -> AMLTransferContext {
        try! AMLTransferContext(
            amount: nok(minor), destination: country(destination), recipientId: recipientId,
            isFirstTransferToRecipient: firstTransfer, recipientCreatedAt: now.addingTimeInterval(-recipientAddedAgo),
            time: now, transferId: transferId
        )
    }

    /// An earlier transfer created `ago` before now.
    static func past(
        _ minor: Int64, ago: TimeInterval, to destination: String = "PL", status: TransferStatus = .completed,
        recipientId: String = recipientId, transferId: String? = nil, fundsReceived: Bool = false
    ) -> AMLPastTransfer {
        try! AMLPastTransfer(
            transferId: transferId, amount: nok(minor), destination: country(destination), recipientId: recipientId,
            time: now.addingTimeInterval(-ago), status: status, fundsReceived: fundsReceived
        )
    }

    static func history(
        _ transfers: [AMLPastTransfer] = [], pep: Bool = false, sanctioned: Bool = false, risk: CustomerRiskLevel = .low
    ) -> AMLCustomerHistory {
        AMLCustomerHistory(transfers: transfers, isPEP: pep, isSanctioned: sanctioned, riskLevel: risk)
    }

    static let defaults = AMLConfiguration()

    /// The rule's finding with the defaults (or `configuration`).
    static func finding(
        _ rule: some AMLRule, _ context: AMLTransferContext, _ history: AMLCustomerHistory = history(),
        _ configuration: AMLConfiguration = defaults
    ) -> AMLFinding? {
        rule.evaluate(context, history: history, configuration: configuration)
    }
}
