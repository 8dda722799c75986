@testable import DropSandbox
import Testing

/// The field shapes the bank sandbox refuses a payment over, as NextGenPSD2 banks check them.
@Suite("Bank sandbox: field formats")
struct BankSandboxFormatTests {
    @Test(arguments: ["1", "100", "100.5", "100.50", "0.001", "12345678901234", "12345678901234.999"])
    func amountsBanksTake(_ text: String) {
        #expect(BankSandboxFormat.isAmount(text))
    }

    @Test(arguments: ["", ".", "1.", ".5", "1.2345", "123456789012345", "1,5", "-1", "+1", "1e3", "1.2.3", " 1", "١٢", "1 "])
    func amountsBanksRefuse(_ text: String) {
        #expect(!BankSandboxFormat.isAmount(text))
    }

    @Test func accountReferencesAndDaysOfExecution() {
        #expect(BankSandboxFormat.isAlphanumeric("GB29NWBK60161331926819", maxLength: 30))
        #expect(BankSandboxFormat.isAlphanumeric("abcXYZ09", maxLength: 30))
        #expect(!BankSandboxFormat.isAlphanumeric("", maxLength: 30))
        #expect(!BankSandboxFormat.isAlphanumeric(String(repeating: "a", count: 31), maxLength: 30))
        for refused in ["ab-1", "ab 1", "æøå", "@", "[", "`", "{"] { #expect(!BankSandboxFormat.isAlphanumeric(refused, maxLength: 30), "\(refused)") }
        #expect(BankSandboxFormat.isDigits("7", maxLength: 2) && BankSandboxFormat.isDigits("31", maxLength: 2))
        #expect(!BankSandboxFormat.isDigits("", maxLength: 2) && !BankSandboxFormat.isDigits("123", maxLength: 2) && !BankSandboxFormat.isDigits("1a", maxLength: 2))
    }
}
