import Crypto

extension RecordID {
    /// The same id for the same `key`, every time and in every process, spelled as `make()` spells one
    /// (a version 4 UUID, from SHA-256 of the key): a row written at most once ("told once") is
    /// written under it, and a second writer finds it there.
    public static func derived(from key: String) -> String {
        var words = DigestWords(SHA256.hash(data: Array(key.utf8)))
        return make(using: &words)
    }

    /// The first two 64-bit words of a digest, as the "random" numbers `make(using:)` draws.
    private struct DigestWords: RandomNumberGenerator {
        private var words: [UInt64]

        init(_ digest: SHA256.Digest) {
            let bytes = Array(digest)
            words = [0, 8].map { start in bytes[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        }

        mutating func next() -> UInt64 {
            words.isEmpty ? 0 : words.removeFirst()
        }
    }
}
