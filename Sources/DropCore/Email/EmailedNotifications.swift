/// Which of the app's notifications also go by email (to a confirmed address, unless the person
/// turned email off): the moments a person acts on or wants on record, not every step. A transfer
/// waiting for approval or under review is not mailed: the person is in the app when it happens.
public enum EmailedNotifications {
    public static let kinds: Set<String> = [
        "transaction.processing",  // the bank approved the payment
        "transaction.completed",   // the money arrived
        "transaction.failed",
        "transaction.returning",
        "transaction.refunded",
        "merchant.payment_received",
        "complaint.answered",
        "account.new_sign_in",     // a browser or phone never seen before signed in
    ]

    /// The job that mails one notification, and its payload's key.
    public static let jobKind = "email.notification"
}
