/// How far an identity-key rotation has got (ADR 0034): the stored sealed numbers counted by the key and pepper
/// they name, against the ones Drop has. Tells the operator when `PID_ENCRYPTION_KEY_PREVIOUS` and
/// `PID_PEPPER_PREVIOUS` can go, and shows rows under a key or pepper Drop has lost. Counts only, no number.
public struct IdentityKeyCensus: Sendable, Equatable {
    /// Sealed under the current key, with a hash under the current pepper: nothing left to do.
    public var current = 0
    /// Sealed under `PID_ENCRYPTION_KEY_PREVIOUS`: the rotation job re-seals them.
    public var underPreviousKey = 0
    /// Hashed under `PID_PEPPER_PREVIOUS`: the rotation job re-hashes them.
    public var underPreviousPepper = 0
    /// Sealed before values named their keys: the job re-seals (and, if need be, re-hashes) them too.
    public var unnamed = 0
    /// Naming a key or pepper that is neither the current nor the previous one: Drop can't open or can't find them.
    public var underUnknownKeys = 0
    /// Active customers with no sealed number: only their own sign-in moves them, while the previous pepper is set.
    public var activeWithoutSealedNumber = 0
    /// Erased rows whose number was blanked at the end of AML retention (ADR 0027): nothing moves them, by design.
    public var erasedWithoutSealedNumber = 0

    public init() {}

    /// `sealedByKeys`: rows per stored `<key id>.<pepper id>` ("" for unnamed values).
    public init(sealedByKeys: [String: Int], keyIds: (current: String, previous: String?),
                pepperIds: (current: String, previous: String?), withoutSealedNumber: (active: Int, erased: Int)) {
        for (named, count) in sealedByKeys {
            let parts = named.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { unnamed += count; continue }
            let (key, pepper) = (parts[0], parts[1])
            if key == keyIds.current && pepper == pepperIds.current { current += count; continue }
            if key == keyIds.previous { underPreviousKey += count }
            if pepper == pepperIds.previous { underPreviousPepper += count }
            let knownKey = key == keyIds.current || key == keyIds.previous
            let knownPepper = pepper == pepperIds.current || pepper == pepperIds.previous
            if !knownKey || !knownPepper { underUnknownKeys += count }
        }
        activeWithoutSealedNumber = withoutSealedNumber.active
        erasedWithoutSealedNumber = withoutSealedNumber.erased
    }

    /// The previous key opens nothing the job hasn't re-sealed.
    public var previousKeyCanGo: Bool { underPreviousKey == 0 && unnamed == 0 && underUnknownKeys == 0 }
    /// Nobody is left whose hash only the previous pepper finds: removing it makes no returning person a new customer.
    public var previousPepperCanGo: Bool {
        underPreviousPepper == 0 && unnamed == 0 && underUnknownKeys == 0 && activeWithoutSealedNumber == 0
    }
}
