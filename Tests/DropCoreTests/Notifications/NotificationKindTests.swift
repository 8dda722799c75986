import DropCore
import Testing

@Suite("Notification kinds")
struct NotificationKindTests {
    @Test func everyKindIsReadBackFromWhatIsStored() {
        for kind in NotificationKind.allCases {
            #expect(NotificationKind(rawValue: kind.rawValue) == kind, "\(kind.rawValue)")
        }
        #expect(Set(NotificationKind.allCases.map(\.rawValue)).count == NotificationKind.allCases.count)
    }

    @Test func theStoredNamesAreTheOnesTheAppAndTheTranslationsUse() {
        #expect(NotificationKind.transaction(.pendingSCA).rawValue == "transaction.pending_sca")
        #expect(NotificationKind.transactionReturnPending.rawValue == "transaction.return_pending")
        #expect(NotificationKind.transactionCodeExpired.rawValue == "transaction.code_expired")
        #expect(NotificationKind.standingOrder(.active).rawValue == "standing_order.active")
        #expect(NotificationKind.merchantPaymentReceived.rawValue == "merchant.payment_received")
        #expect(NotificationKind.merchantPaymentReversalReported.rawValue == "merchant.payment_reversal_reported")
        // A QR payment the payer's bank paid after Drop had ended it: each side hears it has been paid.
        #expect(NotificationKind.transactionSettledAfterEnd.rawValue == "transaction.settled_after_end"
                    && NotificationKind(rawValue: "transaction.settled_after_end") == .transactionSettledAfterEnd)
        #expect(NotificationKind.merchantPaymentSettledAfterEnd.rawValue == "merchant.payment_settled_after_end"
                    && NotificationKind(rawValue: "merchant.payment_settled_after_end") == .merchantPaymentSettledAfterEnd)
        #expect(NotificationKind.transactionSettledAfterEnd.subject == .transaction && NotificationKind.merchantPaymentSettledAfterEnd.subject == .merchant)
        #expect(NotificationKind.merchantClosed.rawValue == "merchant.closed" && NotificationKind(rawValue: "merchant.closed") == .merchantClosed)
        #expect(NotificationKind.accountNewSignIn.subject == .account)
        #expect(NotificationKind.transactionReturning.subject == .transaction)
    }

    @Test(arguments: ["", "transaction", "transaction.", "transaction.pendingSCA", "standing_order.returning", "merchant.completed",
                      "bank.reconnect.again", ".reconnect", "Bank.reconnect"])
    func aNameNoKindHasIsRefused(raw: String) {
        #expect(NotificationKind(rawValue: raw) == nil)
    }
}
