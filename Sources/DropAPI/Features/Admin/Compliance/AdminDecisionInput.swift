/// The body of an admin decision (dismiss or escalate an alert, release or reject a held
/// transfer): why. Whether it is required depends on the decision.
struct AdminDecisionInput: Decodable, Sendable {
    let reason: String?
}
