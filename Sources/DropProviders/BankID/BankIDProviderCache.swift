import Foundation

/// The discovery document and key ring a client reuses between sign-ins; shared by copies of
/// the client, since it is a reference.
actor BankIDProviderCache {
    private var metadata: (value: BankIDProviderMetadata, fetchedAt: Date)?
    private var keyRing: (value: BankIDKeyRing, fetchedAt: Date)?

    /// The cached document if fetched less than `maxAge` ago (or `allowStale`).
    func metadata(now: Date, maxAge: TimeInterval, allowStale: Bool = false) -> BankIDProviderMetadata? {
        guard let metadata else { return nil }
        return allowStale || now.timeIntervalSince(metadata.fetchedAt) < maxAge ? metadata.value : nil
    }

    func store(_ value: BankIDProviderMetadata, at time: Date) {
        metadata = (value, time)
    }

    func keyRing(now: Date, maxAge: TimeInterval, allowStale: Bool = false) -> BankIDKeyRing? {
        guard let keyRing else { return nil }
        return allowStale || now.timeIntervalSince(keyRing.fetchedAt) < maxAge ? keyRing.value : nil
    }

    func store(_ value: BankIDKeyRing, at time: Date) {
        keyRing = (value, time)
    }
}
