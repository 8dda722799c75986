import Foundation

/// How long an `Idempotency-Key` holds: the server replays a request's answer to a retry under its
/// key for this long, and the phone keeps the key of a payment whose answer it never got as long.
public enum IdempotencyKeys {
    public static let retention: TimeInterval = 24 * 3600
}
