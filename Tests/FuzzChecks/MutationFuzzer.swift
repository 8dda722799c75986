import Foundation

/// The fallback fuzzer for parsers outside DropCore/DropKit (their modules pull in NIO, too heavy
/// for the sanitizer build under fuzz/): seeded mutations of a seed corpus, libFuzzer-style
/// (bit flips, interesting bytes, deletions, duplications, splices, dictionary tokens). Not
/// coverage-guided, so the seeds and the dictionary carry the structure.
public struct MutationFuzzer {
    public struct Result: Sendable, CustomStringConvertible {
        public let inputs: Int
        public let seconds: Double
        public var perSecond: Int { seconds > 0 ? Int(Double(inputs) / seconds) : inputs }
        public var description: String { "\(inputs) inputs in \(String(format: "%.1f", seconds)) s (\(perSecond)/s)" }
    }

    let seeds: [[UInt8]]
    let dictionary: [[UInt8]]
    var generator: SplitMix

    public init(seeds: [[UInt8]], dictionary: [String] = [], seed: UInt64 = 0x5EED) {
        self.seeds = seeds.isEmpty ? [[]] : seeds
        self.dictionary = dictionary.map { Array($0.utf8) }
        generator = SplitMix(state: seed)
    }

    /// Runs `check` on `runs` mutated inputs; the first failure is thrown with the input that caused it.
    public mutating func run(runs: Int, check: ([UInt8]) throws -> Void) throws -> Result {
        let start = Date()
        for _ in 0..<runs {
            let input = mutate()
            do {
                try check(input)
            } catch {
                throw Finding(input: input, failure: error)
            }
        }
        return Result(inputs: runs, seconds: Date().timeIntervalSince(start))
    }

    public struct Finding: Error, CustomStringConvertible {
        public let input: [UInt8]
        public let failure: any Error
        public var description: String {
            "\(failure) on input (base64) \(Data(input).base64EncodedString())"
        }
    }

    /// One to four stacked mutations of a random seed.
    mutating func mutate() -> [UInt8] {
        var bytes = seeds[pick(seeds.count)]
        for _ in 0...pick(4) {
            switch pick(9) {
            case 0 where !bytes.isEmpty:  // flip a bit
                bytes[pick(bytes.count)] ^= UInt8(1 << pick(8))
            case 1:  // insert an interesting byte
                let interesting: [UInt8] = [0, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x25, 0x26, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x3A, 0x3B,
                                            0x3C, 0x3D, 0x3E, 0x3F, 0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x7F, 0x80, 0xC2, 0xA0, 0xE2, 0xFF]
                bytes.insert(interesting[pick(interesting.count)], at: pick(bytes.count + 1))
            case 2 where !bytes.isEmpty:  // delete a range
                let start = pick(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + pick(8)))
            case 3 where !bytes.isEmpty:  // duplicate a range
                let start = pick(bytes.count)
                let range = start..<min(bytes.count, start + 1 + pick(16))
                bytes.insert(contentsOf: Array(bytes[range]), at: pick(bytes.count + 1))
            case 4:  // splice in part of another seed
                let other = seeds[pick(seeds.count)]
                guard !other.isEmpty else { break }
                let start = pick(other.count)
                bytes.insert(contentsOf: other[start..<min(other.count, start + 1 + pick(32))], at: pick(bytes.count + 1))
            case 5 where !dictionary.isEmpty:  // a token the format knows
                bytes.insert(contentsOf: dictionary[pick(dictionary.count)], at: pick(bytes.count + 1))
            case 6 where !bytes.isEmpty:  // overwrite with a random byte
                bytes[pick(bytes.count)] = UInt8(truncatingIfNeeded: generator.next())
            case 7 where !bytes.isEmpty:  // replace a digit with another
                let index = pick(bytes.count)
                if bytes[index] >= 0x30 && bytes[index] <= 0x39 { bytes[index] = 0x30 + UInt8(pick(10)) }
            case 8 where !bytes.isEmpty:  // truncate
                bytes.removeLast(pick(bytes.count))
            default:
                break
            }
        }
        return bytes
    }

    mutating func pick(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(generator.next() % UInt64(bound)) }

    /// SplitMix64: deterministic, so a run is reproduced by its seed.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}

/// The regression corpus: `Tests/Fuzz/Corpus/<target>/`, every file one input.
public enum FuzzCorpus {
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus")

    /// Every input of `target`, by file name, sorted so failures read the same on every run.
    public static func inputs(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = directory.appendingPathComponent(target)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        return try names.map { ($0, Array(try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }

    /// How many mutated inputs the in-test fuzz runs try: `DROP_FUZZ_RUNS` (scripts/fuzz sets it), else a few thousand.
    public static var runs: Int {
        ProcessInfo.processInfo.environment["DROP_FUZZ_RUNS"].flatMap(Int.init) ?? 5_000
    }
}
