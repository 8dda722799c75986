import Foundation

/// Where retry jitter gets its randomness: the system generator in production, a seeded
/// generator in tests so delays are reproducible.
public struct RetryRandomness: Sendable {
    private let nextValue: @Sendable () -> UInt64

    public init(_ next: @escaping @Sendable () -> UInt64) {
        self.nextValue = next
    }

    public func next() -> UInt64 { nextValue() }

    /// Uses the system's random number generator.
    public static func system() -> RetryRandomness {
        RetryRandomness { UInt64.random(in: .min ... .max) }
    }

    /// A deterministic SplitMix64 sequence; safe to share between concurrent calls.
    public static func seeded(_ seed: UInt64) -> RetryRandomness {
        let generator = SeededGenerator(seed: seed)
        return RetryRandomness { generator.next() }
    }
}

/// SplitMix64 behind a lock, so one seeded source can serve concurrent retries.
/// `@unchecked Sendable`: the only mutable state is guarded by `lock`.
private final class SeededGenerator: @unchecked Sendable {
    private let lock = NSLock()
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    func next() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
