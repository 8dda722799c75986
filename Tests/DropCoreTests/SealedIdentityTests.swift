import DropCore
import Testing

@Suite("Sealed identity numbers name their keys")
struct SealedIdentityTests {
    @Test func aSealedValueNamesItsKeyAndPepperAndOldOnesNameNeither() {
        let sealed = SealedIdentity(keyId: "abc123", pepperId: "def456", box: "Zm9v+/==")
        #expect(sealed.stored == "abc123.def456.Zm9v+/==")
        #expect(SealedIdentity(stored: sealed.stored) == sealed)
        #expect(sealed.stored.hasPrefix(SealedIdentity.prefix(keyId: "abc123", pepperId: "def456")))
        #expect(sealed.isCurrent(keyId: "abc123", pepperId: "def456"))
        #expect(!sealed.isCurrent(keyId: "abc123", pepperId: "other"))
        let legacy = SealedIdentity(stored: "Zm9v+/==")
        #expect(legacy.keyId == nil && legacy.pepperId == nil && legacy.box == "Zm9v+/==")
        #expect(legacy.stored == "Zm9v+/==")
    }
}
