import DropTestTools
import Testing
@testable import DropCore

@Suite("Merchant codes and categories")
struct MerchantCodeTests {
    @Test func generatedCodesParseBackAndAvoidLookAlikes() throws {
        var generator = SeededGenerator(seed: 7)
        var seen = Set<String>()
        for _ in 0..<500 {
            let code = MerchantCode.generate(using: &generator)
            #expect(code.value.count == 8)
            #expect(!code.value.contains { "01OIL".contains($0) })
            #expect(try MerchantCode(code.value.lowercased()) == code)
            seen.insert(code.value)
        }
        #expect(seen.count == 500)
    }

    @Test func everySingleMistypedCharacterIsCaught() throws {
        var generator = SeededGenerator(seed: 11)
        let code = Array(MerchantCode.generate(using: &generator).value.utf8)
        for position in code.indices {
            for replacement in MerchantCode.alphabet where replacement != code[position] {
                var typo = code
                typo[position] = replacement
                #expect(!MerchantCode.isValid(String(decoding: typo, as: UTF8.self)))
            }
        }
    }

    @Test func malformedCodesSayWhy() {
        #expect(throws: ValidationIssue.self) { try MerchantCode("") }
        #expect((try? MerchantCode("ABC")) == nil)
        #expect(issue { _ = try MerchantCode("ABCDEFG0") } == "format")
        #expect(issue { _ = try MerchantCode("ABCDEFGHJ") } == "length")
    }

    @Test func categoryCodes() throws {
        #expect(try MerchantCategoryCode("5814").digits == "5814")
        #expect(issue { _ = try MerchantCategoryCode("581") } == "length")
        #expect(issue { _ = try MerchantCategoryCode("58a4") } == "format")
        #expect(issue { _ = try MerchantCategoryCode("0001") } == "format")
        // Cash and gambling would make a QR payment something Drop is not licensed for.
        #expect(issue { _ = try MerchantCategoryCode("6011") } == "unsupported")
        #expect(issue { _ = try MerchantCategoryCode("7995") } == "unsupported")
    }

    @Test func qrPaymentLimits() {
        #expect(!QRPaymentLimits.contains(99))
        #expect(QRPaymentLimits.contains(100))
        #expect(QRPaymentLimits.contains(5_000_000))
        #expect(!QRPaymentLimits.contains(5_000_001))
    }

    private func issue(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return (error as? ValidationIssue)?.issue ?? "not a validation issue" }
    }
}
