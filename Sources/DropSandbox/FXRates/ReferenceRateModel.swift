/// The sandbox's deterministic "market": the same currency and day always give the same value,
/// on any machine and in any process, with a small plausible drift from day to day.
///
/// Drift = a slow triangle wave (±0.6 % over 64 days, phase per currency) plus daily noise
/// (±0.15 %), both from FNV-1a hashes of the code and day. Swift's `Hasher` is not used: it is
/// seeded per process, which would make rates differ between runs.
struct ReferenceRateModel: Sendable {
    static let wavePeriodDays = 64
    static let waveAmplitudePPM: Int64 = 6_000
    static let noiseAmplitudePPM: Int64 = 1_500

    /// NOK per 10^unitMultiplier units in 10^-decimals, for a business day.
    func value(of currency: ReferenceCurrency, on day: CalendarDay) -> Int64 {
        let ppm = driftPPM(code: currency.code, dayNumber: day.dayNumber)
        return (currency.anchor * (1_000_000 + ppm) + 500_000) / 1_000_000
    }

    /// Mean of the daily values (half-up), for monthly and annual series.
    func average(of currency: ReferenceCurrency, over days: [CalendarDay]) -> Int64? {
        guard !days.isEmpty else { return nil }
        let total = days.reduce(Int64(0)) { $0 + value(of: currency, on: $1) }
        let count = Int64(days.count)
        return (total * 2 + count) / (count * 2)
    }

    func driftPPM(code: String, dayNumber: Int) -> Int64 {
        let period = Int64(Self.wavePeriodDays)
        let phase = Int64(Self.fnv1a(code) % UInt64(period))
        let position = (Int64(dayNumber) + phase) % period
        let triangle = abs(position - period / 2) // 0...period/2
        let wave = (triangle * 2 - period / 2) * Self.waveAmplitudePPM / (period / 2)
        let noiseSpan = UInt64(Self.noiseAmplitudePPM * 2 + 1)
        let noise = Int64(Self.fnv1a("\(code)|\(dayNumber)") % noiseSpan) - Self.noiseAmplitudePPM
        return wave + noise
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
