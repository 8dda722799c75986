import DropCore

/// Finds the corridor a request names by country and currency, as typed by the client.
enum CorridorLookup {
    /// The corridor; nil with every problem with the two fields added to `details`.
    static func resolve(country: String, currency: String, details: inout [ErrorDetail]) -> Corridor? {
        var parsedCountry: CountryCode?
        var parsedCurrency: Currency?
        do { parsedCountry = try CountryCode(country) } catch { details.append(ErrorDetail(error.withField("country"))) }
        do { parsedCurrency = try Currency(code: currency) } catch { details.append(ErrorDetail(error.withField("currency"))) }
        guard let parsedCountry, let parsedCurrency else { return nil }
        if let corridor = Corridors.find(country: parsedCountry, currency: parsedCurrency) { return corridor }
        let served = Corridors.corridors(to: parsedCountry).map(\.currency.code)
        if served.isEmpty {
            details.append(ErrorDetail(field: "country", issue: "unsupported", message: "Drop does not send money to \(parsedCountry) yet."))
        } else {
            details.append(ErrorDetail(field: "currency", issue: RecipientValidator.IssueCode.corridor,
                                       message: "Drop pays \(served.joined(separator: " or ")) into \(parsedCountry)."))
        }
        return nil
    }
}

extension ErrorDetail {
    /// A DropCore validation issue as an API error detail.
    init(_ issue: ValidationIssue) {
        self.init(field: issue.field, issue: issue.issue, message: issue.message)
    }
}
