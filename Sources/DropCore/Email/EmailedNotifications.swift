/// Which of the app's notifications also go by email (to a confirmed address, unless the person
/// turned email off): the moments a person acts on or wants on record, not every step. A transfer
/// waiting for approval or under review is not mailed: the person is in the app when it happens.
public enum EmailedNotifications {
    public static let kinds: Set<NotificationKind> = [
        .transaction(.processing),  // the bank approved the payment
        .transaction(.completed),   // the money arrived
        .transaction(.failed),
        .transactionReturning,
        .transaction(.refunded),
        .transactionCodeExpired,    // a held QR payment ended: nothing will be paid, ask the shop for a new code
        .transactionSettledAfterEnd, // the bank paid a QR payment Drop had ended: the money left, the shop has it
        .merchantPaymentReceived,
        .merchantPaymentReversalReported,  // the shop may have handed over goods for a payment the bank now reports reversed
        .merchantPaymentSettledAfterEnd,   // the shop has the money of a payment Drop had ended: it must not ask for it again
        .merchantClosed,            // compliance closed the business: its code takes no more payments
        .complaintAnswered,
        .accountNewSignIn,          // a browser or phone never seen before signed in
        .recipientPayeeChanged,     // a recipient's bank details changed: the next transfer pays the new account
        .standingOrder(.active),    // the bank approved a standing transfer: it will pay on each payment day
        .standingOrder(.rejected),  // the bank did not approve it: nothing will be paid
        .standingOrder(.stopped),   // stopped by Drop (a compliance block): no more payments
        .standingOrderCancelAtBank, // the bank kept an order Drop ended: the person must cancel it there
        .standingOrderPayeeNotWritable, // stopped: its payee's name is not in Latin letters, so no payment could be paid out
        .recipientNeedsLatinLetters, // a saved recipient can't be paid until its name is in Latin letters
    ]

    /// Security notices: mailed even when the person turned email off. They say someone may be
    /// using the account (a new device signed in, a payee's bank details changed), and whoever holds
    /// a fresh session could turn email off first to keep them quiet.
    public static let securityKinds: Set<NotificationKind> = [.accountNewSignIn, .recipientPayeeChanged]

    /// The job that mails one notification, and its payload's key.
    public static let jobKind = "email.notification"
}
