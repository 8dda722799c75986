import DropCore
import DropStore
import Foundation

/// Prices remittances (DropCore `Pricing` at the stored reference rate) and keeps the quotes, so
/// the transfer step can pay exactly what the customer was shown within the quote's 15 minutes.
public struct QuoteService: Sendable {
    let spendingLimits: SpendingLimitService
    let database: Database
    let exchangeRates: ExchangeRateService
    let clock: @Sendable () -> Date

    public func create(userId: String, _ input: QuoteInput) async throws -> QuoteView {
        let now = clock()
        let (record, amount) = try await draft(userId: userId, input, now: now)
        // The person's own limits, now rather than at confirm (which checks again, under a lock).
        try await database.withConnection { db in
            try await spendingLimits.check(userId: userId, amount: Money(minorUnits: record.sendMinor, currency: .nok), on: db, now: now,
                                           lock: false, field: amount.field)
        }
        try await database.withConnection { try await QuoteRepository.insert(record, on: $0) }
        return QuoteView(try SavedQuote(record), now: now)
    }

    /// A quote priced now and not yet stored: `create` keeps it for the customer to decide, a
    /// transfer made from an amount writes it already used in its own transaction.
    func draft(userId: String, _ input: QuoteInput, now: Date) async throws -> (record: QuoteRecord, amount: Amount) {
        let (quote, amount) = try await priced(input, now: now)
        let record = QuoteRecord(
            id: RecordID.make(), userId: userId, country: quote.corridor.country.rawValue,
            sendMinor: quote.send.minorUnits, sendCurrency: quote.send.currency.code, feeMinor: quote.fee.minorUnits,
            totalMinor: quote.total.minorUnits, receiveMinor: quote.receive.minorUnits, receiveCurrency: quote.receive.currency.code,
            rate: quote.rate.description, rateAsOf: quote.rateAsOf,
            createdAt: Date(timeIntervalSince1970: TimeInterval(quote.createdAt)),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(quote.expiresAt)))
        return (record, amount)
    }

    /// What a transfer would cost and bring today, for anyone (the front page's calculator,
    /// `GET /v1/prices`): the same pricing as a quote, but nothing is stored or held, and no
    /// person's limits apply.
    public func price(_ input: QuoteInput) async throws -> PriceView {
        PriceView(try await priced(input, now: clock()).quote)
    }

    func priced(_ input: QuoteInput, now: Date) async throws -> (quote: Quote, amount: Amount) {
        let (corridor, amount) = try Self.validate(input)
        let rate = try await exchangeRates.pricingRate(for: corridor.currency, now: now)
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let quote: Quote
        do {
            switch amount {
            case .send(let send):
                quote = try Pricing.quote(sending: Money(minorUnits: send, currency: .nok), corridor: corridor,
                                          rate: rate.rate, rateAsOf: rate.asOf, now: seconds)
            case .receive(let receive):
                quote = try Pricing.quote(receiving: Money(minorUnits: receive, currency: corridor.currency), corridor: corridor,
                                          rate: rate.rate, rateAsOf: rate.asOf, now: seconds)
            }
        } catch {
            throw Self.appError(error, field: amount.field, corridor: corridor)
        }
        return (quote, amount)
    }

    /// The user's quote, whatever its state; others' quotes are 404.
    public func find(id: String, userId: String) async throws -> QuoteView {
        QuoteView(try await saved(id: id, userId: userId), now: clock())
    }

    /// The quote a transfer may be made from: the user's own, unused and not expired.
    ///
    /// - Throws: `NOT_FOUND` (404) for a missing or someone else's quote, `QUOTE_EXPIRED` (422)
    ///   after its 15 minutes, `QUOTE_USED` (409) when a transfer was already made from it.
    public func validQuote(id: String, userId: String, now: Date) async throws -> SavedQuote {
        let saved = try await saved(id: id, userId: userId)
        switch saved.status(at: now) {
        case .open: return saved
        case .expired: throw AppError.quoteExpired
        case .used: throw AppError.conflict("A transfer was already made from this quote.", code: "QUOTE_USED")
        }
    }

    /// Takes the quote for one transfer, inside that transfer's transaction: of two transfers
    /// racing for one quote, exactly one gets it.
    public static func markUsed(_ quote: SavedQuote, at now: Date, on db: DatabaseConnection) async throws {
        guard try await QuoteRepository.markUsed(id: quote.id, userId: quote.userId, at: now, on: db) else {
            throw AppError.conflict("A transfer was already made from this quote.", code: "QUOTE_USED")
        }
    }

    private func saved(id: String, userId: String) async throws -> SavedQuote {
        guard UUID(uuidString: id) != nil,
              let record = try await database.withConnection({ try await QuoteRepository.find(id: id, userId: userId, on: $0) }) else {
            throw AppError.notFound("There is no such quote.")
        }
        return try SavedQuote(record)
    }

    // MARK: Validation

    enum Amount {
        case send(Int64)
        case receive(Int64)

        var field: String {
            switch self {
            case .send: "sendAmountMinor"
            case .receive: "receiveAmountMinor"
            }
        }

        var value: Int64 {
            switch self {
            case .send(let value), .receive(let value): value
            }
        }
    }

    /// Every problem with the input at once, as 422 `VALIDATION_FAILED`.
    static func validate(_ input: QuoteInput) throws -> (Corridor, Amount) {
        var details: [ErrorDetail] = []
        var amount: Amount?
        switch (input.sendAmountMinor, input.receiveAmountMinor) {
        case (nil, nil):
            details.append(ErrorDetail(field: "sendAmountMinor", issue: "required",
                                       message: "Give either sendAmountMinor or receiveAmountMinor."))
        case (.some, .some):
            details.append(ErrorDetail(field: "receiveAmountMinor", issue: "exclusive",
                                       message: "Give either sendAmountMinor or receiveAmountMinor, not both."))
        case (let send?, nil):
            amount = .send(send)
        case (nil, let receive?):
            amount = .receive(receive)
        }
        if let given = amount, given.value <= 0 {
            details.append(positive(given.field))
            amount = nil
        }
        let corridor = CorridorLookup.resolve(country: input.country, currency: input.currency, details: &details)
        guard let corridor, let amount, details.isEmpty else {
            throw AppError.validation("Some fields need attention.", details: details)
        }
        return (corridor, amount)
    }

    private static func positive(_ field: String) -> ErrorDetail {
        ErrorDetail(field: field, issue: "positive", message: "The amount must be greater than zero.")
    }

    static func appError(_ error: PricingError, field: String, corridor: Corridor) -> AppError {
        let range = "Send between \(corridor.minAmount.formatted(for: .en)) and \(corridor.maxAmount.formatted(for: .en)) per transfer."
        switch error {
        case .belowMinimum:
            return .limitExceeded("The amount is below the minimum. " + range, details: [ErrorDetail(field: field, issue: "below_minimum")])
        case .aboveMaximum, .overflow:
            return .limitExceeded("The amount is above the maximum. " + range, details: [ErrorDetail(field: field, issue: "above_maximum")])
        case .notPositive:
            return .validation("Some fields need attention.", details: [positive(field)])
        case .unsupportedCorridor, .currencyMismatch:
            return .internalError
        }
    }
}
