/// A short-lived token that lets the applicant's browser or app open Sumsub's WebSDK.
/// It is a bearer credential for that person's verification: hand it only to them, never log it.
public struct SumsubAccessToken: Sendable, Hashable, Decodable {
    public let token: String
    /// The external user id it was issued for.
    public let userId: String

    public init(token: String, userId: String) {
        self.token = token
        self.userId = userId
    }
}
