import DropCore
import Foundation
import Testing

@Suite struct EmailAddressTests {
    @Test(arguments: ["kari@example.no", "kari.nordmann+drop@post.example.no", "o'neil@example.com", " ola@example.no ", "a@b.co"])
    func acceptsOrdinaryAddresses(_ input: String) {
        #expect(EmailAddress(input)?.value == input.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: [
        "", "kari", "kari@", "@example.no", "kari@example", "kari@@example.no", "kari @example.no",
        "kari@example.no\r\nBcc: mallory@example.com", "kari@example.no>, <mallory@example.com", "\"kari\"@example.no",
        ".kari@example.no", "kari.@example.no", "ka..ri@example.no", "kari@-example.no", "kari@example-.no", "kari@example..no",
        "kåri@example.no", "kari@exåmple.no", "kari@example.123", String(repeating: "a", count: 65) + "@example.no",
    ])
    func refusesWhatCouldNotBeSentOrCouldInjectAHeader(_ input: String) {
        #expect(EmailAddress(input) == nil)
    }

    @Test func theDomainIsCaseInsensitive() {
        #expect(EmailAddress("Kari@Example.NO")?.domain == "example.no")
    }
}
