import DropCore
import DropFuzzChecks
import Foundation
import Testing

/// The fuzz regression corpus (`Tests/Fuzz/Corpus/<target>/`, see fuzz/README.md) through the same
/// checks libFuzzer runs, then a short seeded mutation run of each (`DROP_FUZZ_RUNS` makes it long).
@Suite("Fuzz corpus: DropCore and DropKit parsers")
struct FuzzCorpusTests {
    @Test(arguments: CoreFuzzTarget.allCases)
    func corpusHoldsItsProperties(_ target: CoreFuzzTarget) throws {
        let inputs = try FuzzCorpus.inputs(target.rawValue)
        #expect(!inputs.isEmpty)
        for input in inputs {
            #expect(throws: Never.self, "\(target.rawValue)/\(input.name)") { try target.check(input.bytes) }
        }
    }

    @Test(arguments: CoreFuzzTarget.allCases)
    func mutationsHoldTheProperties(_ target: CoreFuzzTarget) throws {
        var fuzzer = MutationFuzzer(seeds: try FuzzCorpus.inputs(target.rawValue).map(\.bytes))
        let result = try fuzzer.run(runs: FuzzCorpus.runs) { try target.check($0) }
        print("fuzz \(target.rawValue): \(result)")
    }
}
