/// How long a per-process cache keeps an entry: its own random share of the cache's `maxAge`,
/// between half and all. Entries stored in the same second (a crowd after a restart) would
/// otherwise all expire in the same second, every `maxAge`, and send the whole crowd back to the
/// database at once. `SessionCache` and `AnswerCache` both keep their entries this way.
enum KeptShare {
    /// The default share: anywhere between half and all of `maxAge`.
    static let random: @Sendable () -> Double = { .random(in: 0.5...1) }

    /// When an entry stored at `storedAt` stops being served.
    static func until(storedAt: ContinuousClock.Instant, maxAge: Duration, share: () -> Double) -> ContinuousClock.Instant {
        storedAt + maxAge * share()
    }
}
