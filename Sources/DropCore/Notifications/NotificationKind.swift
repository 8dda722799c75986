/// What a notification is about. Stored, sent to the app and used as the translation key
/// (`notification.<kind>.title`) as its raw value: `transaction.completed`, `bank.reconnect`.
public enum NotificationKind: Sendable, Hashable, CaseIterable {
    /// A transfer moved to this status (`transaction.processing`, `transaction.refunded`…).
    case transaction(TransferStatus)
    /// A failed payout's NOK is being asked back from the partner (`transaction.returning`).
    case transactionReturning
    /// A payment reached a transfer Drop had already ended; the bank is asked to return it
    /// (`transaction.return_pending`).
    case transactionReturnPending
    /// A QR payment held for review ended because the shop's one-purchase code expired meanwhile:
    /// nothing is paid; the payer asks the shop for a new code (`transaction.code_expired`).
    case transactionCodeExpired
    /// The payer's bank paid a QR payment after Drop had ended it: the shop has the money
    /// (`transaction.settled_after_end`).
    case transactionSettledAfterEnd
    /// A standing transfer moved to this status (`standing_order.active`…).
    case standingOrder(StandingOrderStatus)
    /// The person's bank would not let Drop cancel a standing transfer Drop has ended: they must cancel
    /// it in their bank's app; each payment it makes meanwhile is returned (`standing_order.cancel_at_bank`).
    case standingOrderCancelAtBank
    /// Drop stopped a standing transfer whose payee's name or address is not in Latin letters: each payment
    /// would fail at payout and come back; edit the recipient and set it up again (`standing_order.payee_not_writable`).
    case standingOrderPayeeNotWritable
    case merchantPaymentReceived
    /// The payer's bank reports a completed payment to the shop reversed: not to be relied on until
    /// Drop confirms it (`merchant.payment_reversal_reported`).
    case merchantPaymentReversalReported
    /// The payer's bank paid a payment to the shop after Drop had ended it: the shop has the money
    /// and must not ask for it again (`merchant.payment_settled_after_end`).
    case merchantPaymentSettledAfterEnd
    /// Compliance closed the business: it takes no new payments (`merchant.closed`).
    case merchantClosed
    case complaintReceived
    case complaintAnswered
    /// A browser or phone never seen before signed in.
    case accountNewSignIn
    /// A bank consent expired or was revoked: the person must link the bank again.
    case bankReconnect
    /// A saved recipient's name, country, currency or account details were changed: the next
    /// transfer to them pays the new account (`recipient.payee_changed`).
    case recipientPayeeChanged
    /// A saved recipient's name or address is not in Latin letters, which payments abroad need: no
    /// transfer to them until it is edited (`recipient.needs_latin_letters`).
    case recipientNeedsLatinLetters

    /// The part before the dot: where the app and the web take the person.
    public enum Subject: String, Sendable {
        case transaction, standingOrder = "standing_order", merchant, complaint, account, bank, recipient
    }

    /// Every kind there is, each status of a transfer and of a standing transfer included.
    public static let allCases: [NotificationKind] = TransferStatus.allCases.map(NotificationKind.transaction)
        + StandingOrderStatus.allCases.map(NotificationKind.standingOrder)
        + [.transactionReturning, .transactionReturnPending, .transactionCodeExpired, .transactionSettledAfterEnd, .standingOrderCancelAtBank, .standingOrderPayeeNotWritable, .merchantPaymentReceived,
           .merchantPaymentReversalReported, .merchantPaymentSettledAfterEnd, .merchantClosed, .complaintReceived, .complaintAnswered,
           .accountNewSignIn, .bankReconnect, .recipientPayeeChanged, .recipientNeedsLatinLetters]

    public var subject: Subject {
        switch self {
        case .transaction, .transactionReturning, .transactionReturnPending, .transactionCodeExpired, .transactionSettledAfterEnd: .transaction
        case .standingOrder, .standingOrderCancelAtBank, .standingOrderPayeeNotWritable: .standingOrder
        case .merchantPaymentReceived, .merchantPaymentReversalReported, .merchantPaymentSettledAfterEnd, .merchantClosed: .merchant
        case .complaintReceived, .complaintAnswered: .complaint
        case .accountNewSignIn: .account
        case .bankReconnect: .bank
        case .recipientPayeeChanged, .recipientNeedsLatinLetters: .recipient
        }
    }
}

extension NotificationKind: RawRepresentable, Codable {
    public var rawValue: String {
        switch self {
        case .transaction(let status): "transaction.\(status.rawValue)"
        case .transactionReturning: "transaction.returning"
        case .transactionReturnPending: "transaction.return_pending"
        case .transactionCodeExpired: "transaction.code_expired"
        case .transactionSettledAfterEnd: "transaction.settled_after_end"
        case .standingOrder(let status): "standing_order.\(status.rawValue)"
        case .standingOrderCancelAtBank: "standing_order.cancel_at_bank"
        case .standingOrderPayeeNotWritable: "standing_order.payee_not_writable"
        case .merchantPaymentReceived: "merchant.payment_received"
        case .merchantPaymentReversalReported: "merchant.payment_reversal_reported"
        case .merchantPaymentSettledAfterEnd: "merchant.payment_settled_after_end"
        case .merchantClosed: "merchant.closed"
        case .complaintReceived: "complaint.received"
        case .complaintAnswered: "complaint.answered"
        case .accountNewSignIn: "account.new_sign_in"
        case .bankReconnect: "bank.reconnect"
        case .recipientPayeeChanged: "recipient.payee_changed"
        case .recipientNeedsLatinLetters: "recipient.needs_latin_letters"
        }
    }

    public init?(rawValue: String) {
        guard let dot = rawValue.firstIndex(of: "."), let subject = Subject(rawValue: String(rawValue[..<dot])) else { return nil }
        let rest = String(rawValue[rawValue.index(after: dot)...])
        let kind: NotificationKind? = switch (subject, rest) {
        case (.transaction, "returning"): .transactionReturning
        case (.transaction, "return_pending"): .transactionReturnPending
        case (.transaction, "code_expired"): .transactionCodeExpired
        case (.transaction, "settled_after_end"): .transactionSettledAfterEnd
        case (.transaction, _): TransferStatus(rawValue: rest).map(NotificationKind.transaction)
        case (.standingOrder, "cancel_at_bank"): .standingOrderCancelAtBank
        case (.standingOrder, "payee_not_writable"): .standingOrderPayeeNotWritable
        case (.standingOrder, _): StandingOrderStatus(rawValue: rest).map(NotificationKind.standingOrder)
        case (.merchant, "payment_received"): .merchantPaymentReceived
        case (.merchant, "payment_reversal_reported"): .merchantPaymentReversalReported
        case (.merchant, "payment_settled_after_end"): .merchantPaymentSettledAfterEnd
        case (.merchant, "closed"): .merchantClosed
        case (.complaint, "received"): .complaintReceived
        case (.complaint, "answered"): .complaintAnswered
        case (.account, "new_sign_in"): .accountNewSignIn
        case (.bank, "reconnect"): .bankReconnect
        case (.recipient, "payee_changed"): .recipientPayeeChanged
        case (.recipient, "needs_latin_letters"): .recipientNeedsLatinLetters
        default: nil
        }
        guard let kind else { return nil }
        self = kind
    }
}
