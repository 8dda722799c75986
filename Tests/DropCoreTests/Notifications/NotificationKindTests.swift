import DropCore
import Testing

@Suite("Notification kinds")
struct NotificationKindTests {
    static let every = NotificationKind.allCases

    @Test func everyKindIsReadBackFromWhatIsStored() {
        for kind in Self.every {
            #expect(NotificationKind(rawValue: kind.rawValue) == kind, "\(kind.rawValue)")
        }
        #expect(Set(Self.every.map(\.rawValue)).count == Self.every.count)
    }

    @Test func theStoredNamesAreTheOnesTheAppAndTheTranslationsUse() {
        #expect(NotificationKind.transaction(.pendingSCA).rawValue == "transaction.pending_sca")
        #expect(NotificationKind.transactionReturnPending.rawValue == "transaction.return_pending")
        #expect(NotificationKind.standingOrder(.active).rawValue == "standing_order.active")
        #expect(NotificationKind.merchantPaymentReceived.rawValue == "merchant.payment_received")
        #expect(NotificationKind.accountNewSignIn.subject == .account)
        #expect(NotificationKind.transactionReturning.subject == .transaction)
    }

    @Test(arguments: ["", "transaction", "transaction.", "transaction.pendingSCA", "standing_order.returning", "merchant.completed",
                      "bank.reconnect.again", ".reconnect", "Bank.reconnect"])
    func aNameNoKindHasIsRefused(raw: String) {
        #expect(NotificationKind(rawValue: raw) == nil)
    }
}
