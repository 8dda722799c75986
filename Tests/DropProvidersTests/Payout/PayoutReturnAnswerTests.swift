import DropProviders
import Testing

/// The partner's answer about a return is taken only when it is the return Drop asked for.
@Suite("A payout return answer is checked against the return asked for")
struct PayoutReturnAnswerTests {
    static func answer(id: String = "RTN1", returnId: String = "R1", endToEndId: String = "E2E-1", amountMinor: Int64 = 50_250,
                       currency: String = "NOK") -> PayoutReturn {
        PayoutReturn(id: id, returnId: returnId, endToEndId: endToEndId, amountMinor: amountMinor, currency: currency, status: .completed,
                     completedAt: nil)
    }

    @Test func theReturnAskedForMatches() {
        #expect(Self.answer().mismatch(returnId: "R1", endToEndId: "E2E-1", amountMinor: 50_250) == nil)
    }

    @Test(arguments: [
        (answer(amountMinor: 50_249), "amount"), (answer(amountMinor: 5_025_000), "amount"), (answer(returnId: "R2"), "return_id"),
        (answer(endToEndId: "E2E-2"), "end_to_end_id"), (answer(currency: "EUR"), "currency"),
        // An id Drop could never ask about again (it goes in the URL path of the status read).
        (answer(id: "../admin"), "id"), (answer(id: ""), "id"), (answer(id: String(repeating: "A", count: 36)), "id"),
    ])
    func anythingElseIsNamed(answer: PayoutReturn, issue: String) {
        #expect(answer.mismatch(returnId: "R1", endToEndId: "E2E-1", amountMinor: 50_250) == issue)
    }
}
