import DropCore
import DropKit
import Foundation

/// The parsers of outside input that live in DropCore and DropKit, each with the properties the
/// fuzzers check beyond "does not crash". `fuzz/` runs them under libFuzzer; DropCoreTests runs the
/// corpus in `Tests/Fuzz/Corpus/<rawValue>/` through the same `check`.
public enum CoreFuzzTarget: String, CaseIterable, Sendable {
    case iban
    case bic
    case accountNumber = "account-number"
    case nationalId = "national-id"
    case mobile
    case organisationNumber = "org-number"
    case amount
    case rate
    case payLink = "pay-link"
    case deepLink = "deep-link"
    case pain002
    case clientAddress = "client-address"

    /// The base URL pay links are read against in the checks.
    static let base = "https://drop.example"

    public func check(_ bytes: [UInt8]) throws(FuzzFailure) {
        let name = rawValue
        switch self {
        case .iban: try Self.checkIBAN(fuzzText(bytes), name)
        case .bic: try Self.checkBIC(fuzzText(bytes), name)
        case .accountNumber: try Self.checkAccountNumber(fuzzText(bytes), name)
        case .nationalId: try Self.checkNationalId(fuzzText(bytes), name)
        case .mobile: try Self.checkMobile(fuzzText(bytes), name)
        case .organisationNumber: try Self.checkOrganisationNumber(fuzzText(bytes), name)
        case .amount: try Self.checkAmount(fuzzText(bytes), name)
        case .rate: try Self.checkRate(fuzzText(bytes), name)
        case .payLink: try Self.checkPayLink(fuzzText(bytes), name)
        case .deepLink: try Self.checkDeepLink(fuzzText(bytes), name)
        case .pain002: try Self.checkPain002(bytes, name)
        case .clientAddress: try Self.checkClientAddress(fuzzText(bytes), name)
        }
    }

    // MARK: Identifiers

    static func checkIBAN(_ input: String, _ name: String) throws(FuzzFailure) {
        guard let iban = try? IBAN(input) else { return }
        let electronic = iban.electronic
        try require(electronic.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }, name,
                    "electronic form not uppercase alphanumeric: \(electronic.debugDescription)")
        try require(electronic.utf8.count == IBAN.expectedLength(for: iban.countryCode), name, "wrong length \(electronic)")
        try require(electronic.hasPrefix(iban.countryCode.rawValue), name, "country \(iban.countryCode) vs \(electronic)")
        try require((try? IBAN(electronic)) == iban, name, "electronic form does not re-parse: \(electronic)")
        try require((try? IBAN(iban.formatted)) == iban, name, "print form does not re-parse: \(iban.formatted)")
        if let account = iban.norwegianAccountNumber {
            try require(account.iban == iban, name, "NO account round trip: \(electronic)")
        }
    }

    static func checkBIC(_ input: String, _ name: String) throws(FuzzFailure) {
        guard let bic = try? BIC(input) else { return }
        try require(bic.value.utf8.count == 8 || bic.value.utf8.count == 11, name, "length of \(bic.value.debugDescription)")
        try require(bic.value.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }, name,
                    "not uppercase alphanumeric: \(bic.value.debugDescription)")
        try require((try? BIC(bic.value)) == bic, name, "does not re-parse: \(bic.value)")
        try require((try? BIC(bic.bic11))?.bic8 == bic.bic8, name, "bic11 of \(bic.value)")
    }

    static func checkAccountNumber(_ input: String, _ name: String) throws(FuzzFailure) {
        guard let account = try? NorwegianAccountNumber(input) else { return }
        try require(account.digits.utf8.count == 11 && account.digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, name,
                    "digits \(account.digits.debugDescription)")
        try require((try? NorwegianAccountNumber(account.digits)) == account, name, "digits do not re-parse")
        try require((try? NorwegianAccountNumber(account.formatted)) == account, name, "print form does not re-parse: \(account.formatted)")
        try require((try? NorwegianAccountNumber(iban: account.iban)) == account, name, "IBAN round trip: \(account.iban)")
    }

    static func checkNationalId(_ input: String, _ name: String) throws(FuzzFailure) {
        guard let number = try? NationalIdentityNumber(input) else { return }
        let digits = number.digitsForHashing
        // Never print the number itself, even in a fuzz failure: it may be a real person's.
        try require(digits.utf8.count == 11 && digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, name, "canonical form is not 11 digits")
        try require((try? NationalIdentityNumber(digits)) == number, name, "canonical form does not re-parse")
    }

    static func checkMobile(_ input: String, _ name: String) throws(FuzzFailure) {
        guard let mobile = try? NorwegianMobileNumber(input) else { return }
        try require(mobile.nationalNumber.utf8.count == 8 && mobile.nationalNumber.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, name,
                    "national number \(mobile.nationalNumber.debugDescription)")
        try require((try? NorwegianMobileNumber(mobile.e164)) == mobile, name, "E.164 does not re-parse: \(mobile.e164)")
        try require((try? NorwegianMobileNumber(mobile.formatted)) == mobile, name, "print form does not re-parse: \(mobile.formatted)")
    }

    static func checkOrganisationNumber(_ input: String, _ name: String) throws(FuzzFailure) {
        guard let number = try? OrganisationNumber(input) else { return }
        try require(number.digits.utf8.count == 9 && number.digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, name,
                    "digits \(number.digits.debugDescription)")
        try require((try? OrganisationNumber(number.digits)) == number, name, "digits do not re-parse")
        try require((try? OrganisationNumber(number.formatted)) == number, name, "print form does not re-parse: \(number.formatted)")
    }

    // MARK: Amounts

    /// NOK (2 decimals) and JPY (none): what people type must be whole non-negative minor units
    /// that print and re-parse to the same value.
    static func checkAmount(_ input: String, _ name: String) throws(FuzzFailure) {
        for currency in [Currency.nok, Currency(rawValue: "JPY")!] {
            if let money = try? Money(parsing: input, currency: currency) {
                try require(money.minorUnits >= 0, name, "typed amount is negative: \(money.minorUnits)")
                try require((try? Money(parsing: money.decimalString, currency: currency)) == money, name,
                            "\(money.decimalString) does not re-parse")
                try require((try? Money(decimalString: money.decimalString, currency: currency)) == money, name,
                            "\(money.decimalString) does not re-parse as a machine amount")
            }
            if let money = try? Money(decimalString: input, currency: currency) {
                try require((try? Money(decimalString: money.decimalString, currency: currency)) == money, name,
                            "machine amount \(money.decimalString) does not re-parse")
            }
        }
    }

    static func checkRate(_ input: String, _ name: String) throws(FuzzFailure) {
        guard let rate = try? FixedPointRate(parsing: input) else { return }
        try require(rate.scaled > 0, name, "rate \(rate) not positive")
        try require((try? FixedPointRate(parsing: rate.description)) == rate, name, "\(rate) does not re-parse")
    }

    // MARK: Pay links

    /// A parsed link has a positive amount, a reference without control characters, and prints to a
    /// link that parses to the same value; the signature check never crashes on what parsing let through.
    static func checkPayLink(_ input: String, _ name: String) throws(FuzzFailure) {
        guard let link = try? PaymentLink.parse(input, base: base) else { return }
        if let terms = link.terms {
            try require(terms.amountMinor > 0, name, "amount \(terms.amountMinor)")
            try require(!terms.reference.containsControlCharacter, name, "control character in the reference \(terms.reference.debugDescription)")
            try require(link.signature != nil, name, "dynamic link without signature")
            _ = try? PaymentLinkSigner(secret: "fuzz-secret-0123456789abcdef0123456789").verify(link, now: Date(timeIntervalSince1970: 0))
            _ = PaymentLinkSigner.identifier(of: link)
        }
        let printed = link.url(base: base)
        try require((try? PaymentLink.parse(printed, base: base)) == link, name, "printed link does not re-parse: \(printed)")
        try checkAppReads(printed, as: link, name)
    }

    /// The app (DropKit) must read a link Drop prints with the same terms the server reads.
    static func checkAppReads(_ printed: String, as link: PaymentLink, _ name: String) throws(FuzzFailure) {
        guard let url = URL(string: printed), case .pay(let app)? = DeepLink(url: url) else {
            throw FuzzFailure(name, "the app cannot open a link Drop printed: \(printed)")
        }
        try require(app.merchantCode == link.code.value, name, "app reads code \(app.merchantCode) in \(printed)")
        try require(app.amountMinor == link.terms?.amountMinor, name, "app reads amount \(String(describing: app.amountMinor)) in \(printed)")
        try require(app.expiresAt == link.terms?.expiresAt, name, "app reads expiry \(String(describing: app.expiresAt)) in \(printed)")
        try require(app.signature == link.signature, name, "app reads signature \(String(describing: app.signature)) in \(printed)")
        if let terms = link.terms {
            try require((app.reference ?? "") == terms.reference, name,
                        "app reads reference \(String(describing: app.reference).debugDescription) for \(terms.reference.debugDescription)")
        }
    }

    /// What the app opens from a scanned or tapped link: never crashes, and a pay link it opens names a
    /// plausible merchant code and a positive amount.
    static func checkDeepLink(_ input: String, _ name: String) throws(FuzzFailure) {
        guard let url = URL(string: input), let link = DeepLink(url: url) else { return }
        switch link {
        case .pay(let pay):
            try require(!pay.merchantCode.isEmpty && !pay.merchantCode.containsControlCharacter, name, "code \(pay.merchantCode.debugDescription)")
            if let amount = pay.amountMinor { try require(amount > 0, name, "amount \(amount)") }
        case .authCallback(let code):
            try require(!code.isEmpty, name, "empty auth code")
        case .authFailed(let error), .bankLinkFailed(let error):
            try require(!error.isEmpty, name, "empty error")
        case .bankLinked(let bank):
            try require(!bank.isEmpty, name, "empty bank")
        case .transaction(let id):
            try require(UUID(uuidString: id) != nil, name, "transaction id \(id.debugDescription)")
        case .standingOrder(let id):
            try require(UUID(uuidString: id) != nil, name, "standing order id \(id.debugDescription)")
        }
    }

    // MARK: pain.002

    /// A report that reads has its mandatory ids and a status on every transaction; no DOCTYPE
    /// (the door to entity expansion) is ever accepted, in whatever encoding it is spelled.
    static func checkPain002(_ bytes: [UInt8], _ name: String) throws(FuzzFailure) {
        let tree = try? XMLTree.parse(bytes)
        if let tree {
            try require(!declaresDoctype(bytes), name, "a document with a DOCTYPE was parsed")
            try require(!bytes.contains(0) && Array(fuzzText(bytes).utf8) == bytes, name, "a document that is not UTF-8 was parsed")
            let rewritten = try? XMLTree.parse(XMLTreeRoundTrip.document(tree))
            try require(rewritten.map(XMLTreeRoundTrip.withoutLines) == XMLTreeRoundTrip.withoutLines(tree), name,
                        "the tree written back reads differently")
        }
        guard let report = try? Pain002Reader().read(bytes) else { return }
        try require(tree != nil, name, "report read from bytes XMLTree refuses")
        try require(!report.messageId.isEmpty && !report.originalMessageId.isEmpty, name, "empty message id")
        for info in report.paymentInformation {
            try require(!info.originalPaymentInformationId.isEmpty, name, "empty payment information id")
            for transaction in info.transactions {
                try require(!transaction.originalEndToEndId.isEmpty, name, "empty end-to-end id")
            }
        }
    }

    /// `<!DOCTYPE` in UTF-8/ASCII or UTF-16 (either byte order), what libxml2 would honour.
    static func declaresDoctype(_ bytes: [UInt8]) -> Bool {
        let marker: [UInt8] = Array("<!DOCTYPE".utf8)
        var littleEndian: [UInt8] = []
        var bigEndian: [UInt8] = []
        for byte in marker {
            littleEndian += [byte, 0]
            bigEndian += [0, byte]
        }
        for needle in [marker, littleEndian, bigEndian] where bytes.count >= needle.count {
            for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
                return true
            }
        }
        return false
    }

    // MARK: Client address

    /// `IPAddress` accepts no control characters and prints a form that parses to the same address;
    /// a network contains its own address; the resolver always answers an address (never the
    /// forwarded text itself), and with an untrusted peer ignores `X-Forwarded-For` altogether.
    static func checkClientAddress(_ input: String, _ name: String) throws(FuzzFailure) {
        if let address = IPAddress(input) {
            // Surrounding spaces and tabs are trimmed; nothing else outside the address and its port may pass.
            try require(!input.trimmingCharacters(in: .whitespaces).containsControlCharacter, name,
                        "address accepted with a control character: \(input.debugDescription)")
            if input.trimmingCharacters(in: .whitespaces).hasPrefix("["), let close = input.firstIndex(of: "]") {
                let rest = input[input.index(after: close)...].trimmingCharacters(in: .whitespaces)
                try require(rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isASCII) && Int(rest.dropFirst()) != nil), name,
                            "text after the brackets accepted: \(input.debugDescription)")
            }
            try require(address.bytes.count == 4 || address.bytes.count == 16, name, "\(address.bytes.count) bytes")
            try require(IPAddress(address.description) == address, name, "\(address) does not re-parse")
        }
        if let network = IPNetwork(input) {
            try require(network.contains(network.address), name, "\(network) does not contain its own address")
            try require((0...(network.address.bytes.count * 8)).contains(network.prefixLength), name, "prefix of \(network)")
        }
        let resolver = ClientAddressResolver(trustForwardedFor: true)
        let forwarded = input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let client = resolver.clientAddress(peer: "127.0.0.1", forwardedFor: forwarded)
        try require(IPAddress(client)?.description == client, name, "resolver answered \(client.debugDescription)")
        let direct = resolver.clientAddress(peer: "192.0.2.7", forwardedFor: forwarded)
        try require(direct == "192.0.2.7", name, "an untrusted peer's X-Forwarded-For counted: \(direct)")
        _ = ClientAddressResolver.parseProxies(input)
    }
}
