import Foundation
import Testing
@testable import DropCore

@Suite("What the bank carries with a QR payment, and a one-purchase code's identity")
struct QRPaymentTextTests {
    @Test func anOrderAndAPayersWordsNeverReadAlike() {
        let order = QRPaymentText.bankMessage(merchantName: "Monas Kaffebar", orderReference: "4711", payerMessage: nil)
        #expect(order == "Drop ordre 4711")
        // Whatever a payer types, their text follows Drop's payer prefix, so it can't start like an order.
        for typed in ["4711", "Drop ordre 4711", "ordre 4711"] {
            let message = QRPaymentText.bankMessage(merchantName: "Monas Kaffebar", orderReference: nil, payerMessage: typed)
            #expect(message.hasPrefix(QRPaymentText.payerMessagePrefix) && !message.hasPrefix(QRPaymentText.orderPrefix))
        }
        #expect(QRPaymentText.bankMessage(merchantName: "Monas Kaffebar", orderReference: "", payerMessage: nil) == "Drop Monas Kaffebar")
        #expect(QRPaymentText.bankMessage(merchantName: String(repeating: "x", count: 200), orderReference: nil, payerMessage: nil).count == 140)
    }

    /// The bank's Max140Text counts code points: a message of emoji is cut by them, at whole characters.
    @Test func theBankMessageIsCutInCodePoints() {
        let message = QRPaymentText.bankMessage(merchantName: String(repeating: "👨‍👩‍👧", count: 40), orderReference: nil, payerMessage: nil)
        #expect(message.unicodeScalars.count <= 140 && message.unicodeScalars.count > 130)
        #expect(message == "Drop " + String(repeating: "👨‍👩‍👧", count: 27))
    }

    @Test func aCodeIsIdentifiedByItsTermsNotBySpellingOfItsSignature() throws {
        let code = try MerchantCode(MerchantCode.generate().value)
        let signer = PaymentLinkSigner(secret: String(repeating: "k", count: 32))
        let terms = PaymentLink.Terms(amountMinor: 12_950, reference: "", expiresAt: 1_800_000_000)
        let link = signer.sign(code, terms: terms)
        let id = try #require(PaymentLinkSigner.identifier(of: link))
        #expect(id.count == 64 && id.allSatisfy(\.isHexDigit))
        // Another spelling of the signature (or none) is the same purchase; other terms are another.
        #expect(PaymentLinkSigner.identifier(of: .dynamic(code, terms: terms, signature: "x")) == id)
        #expect(PaymentLinkSigner.identifier(of: signer.sign(code, terms: .init(amountMinor: 12_950, reference: "", expiresAt: 1_800_000_001))) != id)
        #expect(PaymentLinkSigner.identifier(of: .staticLink(code)) == nil)
    }
}
