import Testing
@testable import DropCore

/// The one rule for a stored payee its rail can't carry: the 422, `payable: false` and the job alike.
@Suite("Payee writing")
struct PayeeWritingTests {
    @Test func aUkrainianPayeeInCyrillicNamesTheFirstFieldToEdit() {
        #expect(PayeeWriting.unwritableField(country: "UA", currency: "UAH", name: "Олена Коваль", street: nil, postCode: nil, city: "Київ") == "name")
        #expect(PayeeWriting.unwritableField(country: "UA", currency: "UAH", name: "Olena Koval", street: "vul. Khreshchatyk 1", postCode: "01001",
                                             city: "Київ") == "address.city")
        #expect(PayeeWriting.unwritableField(country: "UA", currency: "UAH", name: "Olena Koval", street: " ", postCode: nil, city: "Kyiv") == nil)
        // Accents are transliterated, not refused.
        #expect(PayeeWriting.unwritableField(country: "PL", currency: "PLN", name: "Zofia Wójcik", street: "ul. Długa 5", postCode: nil, city: nil) == nil)
    }

    @Test func aCorridorDropDoesNotServeIsLeftToTheQuote() {
        #expect(PayeeWriting.unwritableField(country: "XX", currency: "UAH", name: "Олена", street: nil, postCode: nil, city: nil) == nil)
    }

    @Test func aDerivedIdIsTheSameEachTimeAndReadsAsAnId() {
        let id = RecordID.derived(from: "recipient.needs_latin_letters:r1")
        #expect(id == RecordID.derived(from: "recipient.needs_latin_letters:r1"))
        #expect(id != RecordID.derived(from: "recipient.needs_latin_letters:r2"))
        #expect(id.count == 36 && Array(id)[14] == "4" && "89ab".contains(Array(id)[19]))
    }
}
