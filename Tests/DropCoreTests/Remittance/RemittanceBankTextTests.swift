import DropCore
import Testing

@Suite("The message a remittance carries at the payer's bank")
struct RemittanceBankTextTests {
    let id = "00AAF3C9D2E84B1F9A7C6E5D4B3A2910"

    @Test func namesTheRecipientInTheBanksLettersAndEndsWithTheId() {
        #expect(RemittanceBankText.message(recipientName: "Bjørn Åsen", endToEndId: id) == "Drop til Bjorn Aasen \(id)")
        #expect(RemittanceBankText.message(recipientName: "  Hans \n Müller ", endToEndId: id) == "Drop til Hans Mueller \(id)")
        #expect(RemittanceBankText.lead(recipientName: "Zofia Wójcik") == "Drop til Zofia Wojcik")
    }

    @Test func aLongNameIsShortenedAndTheIdIsNeverCut() {
        let name = String(repeating: "Abcdefghij ", count: 20)
        let message = RemittanceBankText.message(recipientName: name, endToEndId: id)
        #expect(message.count <= RemittanceBankText.maximumLength && message.hasPrefix("Drop til Abcdefghij") && message.hasSuffix(" \(id)"))
        #expect(!message.contains("  "))
    }

    @Test func aNameNoBankCanWriteIsLeftOutNotSentAsDots() {
        for name: String? in ["李小龍", "Ali\u{0}Khan", "   ", "", nil] {
            #expect(RemittanceBankText.message(recipientName: name, endToEndId: id) == "Drop \(id)", "\(String(describing: name))")
            #expect(RemittanceBankText.lead(recipientName: name) == nil)
        }
    }
}
