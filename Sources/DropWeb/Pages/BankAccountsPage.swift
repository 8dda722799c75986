import DropAPI
import DropCore
import DropHTML
import DropStore
import Foundation

/// `/bank-accounts`: linked accounts with balances, link another bank, refresh, remove.
enum BankAccountsPage {
    struct State {
        var accounts: [LinkedAccount]
        var banks: [BankDirectory.Bank]
        var csrfToken: String
        /// `connected=<bank>` or `error=<CODE>` from the bank's return.
        var connected: String?
        var error: String?
        /// `removed=1` after an account was removed.
        var removed = false
        /// The header and tab bar (signed in).
        var navigation: Layout.Navigation?
    }

    static func render(_ strings: Strings, _ state: State) -> HTML {
        let locale = strings.displayLocale
        var notice: HTML = ""
        if state.removed {
            notice = #"<p class="notice" role="status">\#(strings["banks.removed"])</p>"#
        } else if let id = state.connected, let bank = state.banks.first(where: { $0.id == id }) {
            // Only a bank Drop knows: anything else in the link would be someone's text in Drop's voice.
            notice = #"<p class="notice" role="status">\#(strings.format("banks.connected", ["bank": bank.name]))</p>"#
        } else if let error = state.error {
            let key = "banks.error.\(error)"
            let text = strings[key] == key ? strings["banks.error.generic"] : strings[key]
            notice = #"<p class="notice error" role="alert">\#(text)</p>"#
        }
        let rows = state.accounts.map { account -> HTML in
            let record = account.record
            let balance = record.balanceMinor.flatMap { minor in
                Currency(rawValue: record.currency).map { Money(minorUnits: minor, currency: $0).formatted(for: locale) }
            } ?? "–"
            let number = number(record)
            var note: HTML = ""
            if record.status == .reconnect {
                note = #"<p class="note">\#(strings["banks.reconnect"])</p>"#
            } else if account.stale, let synced = record.balanceSyncedAt {
                note = #"<p class="note">\#(strings["banks.stale"]) \#(WebDates.format(synced, strings))</p>"#
            }
            return """
            <li class="card account">
            <h2 id="account-\(record.id)">\(record.name ?? strings["banks.account"]) <small>\(BankDirectory.norway.name(of: record.bankId))</small></h2>
            <p class="account-number">\(number)</p>
            <p class="balance">\(balance)</p>
            \(note)
            <div class="actions">
            <form method="post" action="/bank-accounts/\(record.id)/refresh">
            <input type="hidden" name="csrf" value="\(state.csrfToken)">
            <button class="button" type="submit">\(strings["banks.refresh"])</button>
            </form>
            <a class="button danger" href="/bank-accounts/\(record.id)/remove" aria-describedby="account-\(record.id)">\(strings["banks.remove"])</a>
            </div>
            </li>
            """
        }.joined(separator: "\n")
        let options = state.banks.map { bank -> HTML in #"<option value="\#(bank.id)">\#(bank.name)</option>"# }.joined()
        return Layout.page(title: strings["banks.title"], strings: strings, navigation: state.navigation, main: """
        <h1>\(strings["banks.title"])</h1>
        \(notice)
        \(state.accounts.isEmpty ? #"<p>\#(strings["banks.none"])</p>"# : #"<ul class="list accounts">\#(rows)</ul>"#)
        <section class="card">
        <h2>\(strings["banks.connect.title"])</h2>
        <p>\(strings["banks.connect.lead"])</p>
        <form method="post" action="/bank-accounts/connect">
        <input type="hidden" name="csrf" value="\(state.csrfToken)">
        <label for="bank">\(strings["banks.connect.bank"])</label>
        <select id="bank" name="bank">\(options)</select>
        <button class="button primary" type="submit">\(strings["banks.connect.submit"])</button>
        </form>
        </section>
        <p><a href="/dashboard">\(strings["nav.dashboard"])</a></p>
        """)
    }
}

extension BankAccountsPage {
    /// Removing asks first, without JavaScript: "Remove" opens this page, whose button posts.
    static func confirmRemove(_ viewer: Viewer, _ account: BankAccountRecord) -> HTML {
        let strings = viewer.strings
        let bank = BankDirectory.norway.name(of: account.bankId)
        let title = strings.format("banks.remove.title", ["account": account.name ?? strings["banks.account"], "bank": bank])
        return Layout.page(title: title, strings: strings, navigation: viewer.navigation, main: """
        <section class="card danger" aria-labelledby="confirm-title">
        <h1 id="confirm-title">\(title)</h1>
        <p class="account-number">\(number(account))</p>
        <p>\(strings.format("banks.remove.lead", ["bank": bank]))</p>
        <div class="actions">
        \(Field.button(action: "/bank-accounts/\(account.id)/remove", label: strings["banks.remove.confirm"], csrf: viewer.csrfToken, danger: true))
        <a class="button" href="/bank-accounts">\(strings["common.cancel"])</a>
        </div>
        </section>
        """)
    }

    /// The account number as Norwegians write it, else the IBAN in groups of four.
    static func number(_ record: BankAccountRecord) -> String {
        record.bban.flatMap { try? NorwegianAccountNumber($0) }?.formatted ?? record.iban.map(IBANDisplay.grouped) ?? ""
    }
}

/// Dates as people read them in each language, in Oslo time.
enum WebDates {
    /// A moment such as a transfer's time: "4. november kl. 14:15", "4 November, 14:15". Day, month
    /// and pattern come from the language's file (`date.…`), so every language writes Western digits.
    static func format(_ date: Date, _ strings: Strings) -> String {
        let clock = OsloCalendar.wallClock(date)
        return strings.format("date.dayTime", ["day": "\(clock.day.day)", "month": month(clock.day.month, strings), "time": time(clock)])
    }

    /// The clock time only, `14:15`, in Oslo (not escaped: digits and a colon).
    static func time(_ date: Date) -> String { time(OsloCalendar.wallClock(date)) }

    private static func time(_ clock: OsloCalendar.WallClock) -> String {
        "\(clock.hour < 10 ? "0" : "")\(clock.hour):\(clock.minute < 10 ? "0" : "")\(clock.minute)"
    }

    /// A calendar day such as a due date: "4. november 2026" / "4 November 2026". An unreadable
    /// ISO string is shown as it is.
    static func day(iso: String, _ strings: Strings) -> String {
        guard let day = try? CalendarDate(iso: iso) else { return iso }
        return strings.format("date.day", ["day": "\(day.day)", "month": month(day.month, strings), "year": "\(day.year)"])
    }

    /// The month's name as a date writes it (`date.months`, January first).
    private static func month(_ number: Int, _ strings: Strings) -> String {
        let names = monthNames[strings.language] ?? []
        return names.indices.contains(number - 1) ? names[number - 1] : "\(number)"
    }

    /// Each language's month names, split once.
    private static let monthNames: [Language: [String]] = Dictionary(uniqueKeysWithValues: Language.allCases.map { language in
        (language, Strings(language)["date.months"].split(separator: ",").map(String.init))
    })

    /// A moment as a page shows it: `format` for people, in a `<time>` whose `datetime` machines read.
    static func element(_ date: Date, _ strings: Strings) -> HTML {
        #"<time datetime="\#(machine(date))">\#(format(date, strings))</time>"#
    }

    /// For `<time datetime>`: RFC 3339 in UTC, as the API writes dates (by hand: a FormatStyle per
    /// date was a visible share of a page with a list).
    static func machine(_ date: Date) -> String {
        JSON.rfc3339(date)
    }
}
