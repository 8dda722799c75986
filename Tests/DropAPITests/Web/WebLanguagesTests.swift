import DropCore
import DropStore
import Foundation
import Testing
@testable import DropWeb

/// The diaspora's languages: Polish, Arabic, Somali and Urdu beside bokmål and English. Chosen like the
/// others (cookie, then the browser's preference), Arabic and Urdu pages mirror, every error reads as
/// its own language, and dates are written with each language's month names and Western digits.
@Suite("Web languages: negotiation, right-to-left pages, the language menu, dates and errors in every language")
struct WebLanguagesTests {
    @Test(arguments: [
        ("pl-PL,pl;q=0.9,en;q=0.5", Language.pl), ("ar-SA", .ar), ("so", .so), ("ur-PK,ur", .ur), ("nn-NO", .nb), ("no", .nb),
        ("de-DE,de;q=0.9", .nb), ("de,ar;q=0.8", .ar), ("EN-us", .en), ("", .nb), ("polski", .nb),
    ])
    func theBrowsersFirstLanguageDropSpeaksWins(header: String, expected: Language) {
        #expect(Language.negotiate(cookie: nil, acceptLanguage: header) == expected)
    }

    /// Pages build keys from the wire codes (`status.pending_sca`), never from Swift's case names
    /// (`pendingSCA`): each status, complaint state and payout step has its words in every language.
    @Test func everyStatusHasItsWordsInEveryLanguage() {
        for language in Language.allCases {
            let strings = Strings(language)
            for status in TransferStatus.allCases {
                let badge = TransactionPages.statusBadge(status, strings).description
                #expect(badge.contains("status-\(status.rawValue)") && !badge.contains(">status."), "\(language) \(status)")
                #expect(strings.has("tx.sentence.\(status.rawValue)"), "\(language) tx.sentence.\(status.rawValue)")
            }
            for status in ComplaintStatus.allCases {
                #expect(strings.has("complaints.status.\(status.rawValue)"), "\(language) \(status)")
            }
        }
    }

    /// What Drop tells a person is in their language, not the English it stores beside it.
    @Test func everyNotificationDropSendsHasItsWordsInEveryLanguage() {
        let sent: [NotificationKind] = TransferStatus.allCases.map(NotificationKind.transaction)
            + [.transactionReturning, .transactionReturnPending, .transactionCodeExpired, .transactionSettledAfterEnd, .merchantPaymentSettledAfterEnd, .standingOrder(.active), .standingOrder(.rejected), .standingOrder(.stopped), .standingOrderCancelAtBank,
               .merchantPaymentReceived, .merchantPaymentReversalReported, .merchantClosed, .complaintReceived, .complaintAnswered, .accountNewSignIn, .bankReconnect,
               .recipientPayeeChanged]
        for language in Language.allCases {
            let strings = Strings(language)
            for kind in sent {
                #expect(strings.has("notification.\(kind.rawValue).title") && strings.has("notification.\(kind.rawValue).body"),
                        "\(language) \(kind.rawValue)")
            }
        }
    }

    /// A bank's consent ended: every language names the bank, on the page and in the email. A
    /// notification from before Drop kept the bank's id keeps the general words.
    @Test func theReconnectNotificationNamesTheBankInEveryLanguage() {
        let named = NotificationRecord(userId: "u", kind: .bankReconnect, title: "Reconnect SpareBank 1", body: "English",
                                       link: NotificationLink(bankConsentId: "c", bankId: "sparebank1"), createdAt: Date())
        var older = named
        older.link = NotificationLink(bankConsentId: "c")
        for language in Language.allCases {
            let strings = Strings(language)
            let words = NotificationWords(named, strings)
            #expect(words.title.contains("SpareBank 1") && words.body.contains("SpareBank 1"), "\(language)")
            #expect(!words.title.contains("{") && !words.body.contains("{") && words.body != "English", "\(language)")
            let general = NotificationWords(older, strings)
            #expect(general.title == strings["notification.bank.reconnect.title"] && !general.body.contains("SpareBank"), "\(language)")
        }
    }

    /// A recipient's bank details changed: every language names the recipient, as the customer knew them.
    @Test func theChangedPayeeNotificationNamesTheRecipientInEveryLanguage() {
        let notice = NotificationRecord(userId: "u", kind: .recipientPayeeChanged, title: "Bank details of Mamma <b> changed", body: "English",
                                        link: NotificationLink(recipientId: "r", recipientName: "Mamma <b>"), createdAt: Date())
        for language in Language.allCases {
            let words = NotificationWords(notice, Strings(language))
            #expect(words.title.contains("Mamma <b>") && words.body.contains("Mamma <b>"), "\(language)")
            #expect(!words.title.contains("{") && !words.body.contains("{") && words.body != "English", "\(language)")
        }
    }

    /// A QR payment the payer's bank paid after Drop ended it: every language names the shop and the
    /// amount, in the language's own way of writing money, as the stored English does. One from before
    /// Drop kept them keeps the general words.
    @Test func theSettledAfterEndNotificationNamesTheShopAndTheAmountInEveryLanguage() {
        let named = NotificationRecord(userId: "u", kind: .transactionSettledAfterEnd, title: "Your bank paid the shop", body: "English",
                                       link: NotificationLink(transactionId: "t", merchantName: "Monas Kaffebar",
                                                              amount: Money(minorUnits: 1_234_50, currency: .nok)), createdAt: Date())
        var older = named
        older.link = NotificationLink(transactionId: "t")
        for language in Language.allCases {
            let strings = Strings(language)
            let words = NotificationWords(named, strings)
            #expect(words.body.contains("Monas Kaffebar") && words.body.contains(strings.money(Money(minorUnits: 1_234_50, currency: .nok))),
                    "\(language): \(words.body)")
            #expect(!words.body.contains("{") && words.body != "English" && words.title == strings["notification.transaction.settled_after_end.title"],
                    "\(language)")
            #expect(NotificationWords(older, strings).body == strings["notification.transaction.settled_after_end.body"], "\(language)")
        }
        #expect(NotificationWords(named, Strings(.nb)).body.contains("234,50\u{A0}kr"))
    }

    @Test func theCookieWinsOverTheBrowser() {
        #expect(Language.negotiate(cookie: "ur", acceptLanguage: "pl") == .ur)
        #expect(Language.negotiate(cookie: "xx", acceptLanguage: "so") == .so)
    }

    @Test func arabicAndUrduPagesMirrorAndTheOthersDoNot() {
        for language in Language.allCases {
            let page = LoginPage.render(Strings(language), error: nil).description
            #expect(page.contains(#"<html lang="\#(language.rawValue)""#))
            #expect(page.contains(#"<html lang="\#(language.rawValue)" dir="rtl">"#) == [.ar, .ur].contains(language), "\(language)")
        }
    }

    /// The menu names the page's language and offers every other, each written in itself and marked
    /// with its language (so a screen reader pronounces "Polski" in Polish).
    @Test func theLanguageMenuOffersEveryOtherLanguageInItself() {
        let page = HomePage.render(Strings(.pl)).description
        let menu = String(page[page.range(of: #"<details class="lang">"#)!.lowerBound...])
        #expect(menu.contains("Język: </span>Polski</summary>"))
        for other in Language.allCases where other != .pl {
            #expect(menu.contains(#"<a href="/language/\#(other.rawValue)" hreflang="\#(other.rawValue)" lang="\#(other.rawValue)""#), "\(other)")
            #expect(menu.contains(">\(other.endonym)</a>"))
        }
        #expect(!menu.contains(#"href="/language/pl""#))
        #expect(menu.contains(#"lang="ar" dir="rtl">العربية</a>"#))
    }

    /// The tab bar and the language menu are drawn once per language and tab: what a page gets is what
    /// drawing them now gives.
    @Test func theBarsDrawnOnceAreTheBarsDrawnNow() {
        for language in Language.allCases {
            let strings = Strings(language)
            #expect(LanguageMenu.render(strings) == LanguageMenu.draw(strings))
            for tab in [nil] + TabBar.Tab.allCases.map(Optional.some) {
                #expect(TabBar.render(current: tab, strings) == TabBar.draw(current: tab, strings), "\(language) \(String(describing: tab))")
            }
        }
        #expect(TabBar.render(current: .history, Strings(.pl)).description.contains(#"<a href="/transactions" aria-current="page">"#))
    }

    @Test(arguments: [
        (Language.nb, "4. november 2026"), (.en, "4 November 2026"), (.pl, "4 listopada 2026"),
        (.ar, "4 نوفمبر 2026"), (.so, "4 Nofembar 2026"), (.ur, "4 نومبر 2026"),
    ])
    func daysAreWrittenInTheLanguageWithWesternDigits(language: Language, expected: String) {
        #expect(WebDates.day(iso: "2026-11-04", Strings(language)) == expected)
    }

    @Test func aMomentIsWrittenInOsloTimeInEveryLanguage() throws {
        // 13:15 UTC on 4 November is 14:15 in Oslo.
        let moment = try Date("2026-11-04T13:15:00Z", strategy: .iso8601)
        #expect(WebDates.format(moment, Strings(.nb)) == "4. november kl. 14:15")
        #expect(WebDates.format(moment, Strings(.pl)) == "4 listopada, godz. 14:15")
        for language in Language.allCases {
            #expect(WebDates.format(moment, Strings(language)).contains("14:15"), "\(language)")
        }
        // Summer time, the small hours, and the hour that repeats when the clocks go back (25 October 2026).
        #expect(WebDates.time(try Date("2026-07-01T12:05:00Z", strategy: .iso8601)) == "14:05")
        #expect(WebDates.time(try Date("2026-01-15T23:30:00Z", strategy: .iso8601)) == "00:30")
        #expect(WebDates.time(try Date("2026-10-25T00:30:00Z", strategy: .iso8601)) == "02:30")
        #expect(WebDates.time(try Date("2026-10-25T01:30:00Z", strategy: .iso8601)) == "02:30")
        #expect(WebDates.time(try Date("2026-03-10T09:59:00Z", strategy: .iso8601)) == "10:59")
        // The machine-readable moment is UTC, as the API writes it and as Foundation's ISO 8601 style would.
        for moment in [moment, try Date("2026-01-15T23:30:00Z", strategy: .iso8601), Date(timeIntervalSince1970: 1_791_979_200.75)] {
            #expect(WebDates.machine(moment) == moment.formatted(.iso8601))
            #expect(WebDates.element(moment, Strings(.en)).description.contains(#"datetime="\#(moment.formatted(.iso8601))""#))
        }
        #expect(Strings(.nb)["date.months"].split(separator: ",").count == 12)
        for language in Language.allCases {
            #expect(Strings(language)["date.months"].split(separator: ",").count == 12, "\(language) names twelve months")
        }
    }

    /// Amounts follow the language: Polish like Norwegian with the code after, the right-to-left
    /// languages with Western digits and English separators.
    @Test func amountsAreWrittenAsEachLanguageDoes() {
        let amount = Money(minorUnits: 123_450, currency: .nok)
        #expect(Strings(.pl).money(amount) == "1\u{00A0}234,50\u{00A0}NOK")
        for language in [Language.ar, .so, .ur] { #expect(Strings(language).money(amount) == "NOK 1,234.50") }
    }

    /// The new languages' error messages are their own: never the bokmål or English text, and none of
    /// the common words of either (words the language shares are allowed, e.g. Somali "is" and "kan").
    @Test func everyErrorMessageReadsAsItsOwnLanguage() {
        let shared: [Language: Set<String>] = [.so: ["is", "kan", "ku", "du", "er", "deg", "det"], .pl: ["to", "na", "i"]]
        for language in [Language.pl, .ar, .so, .ur] {
            let table = Strings.table(language)
            for key in WebErrorMessagesTests.errorKeys {
                let text = table[key] ?? ""
                #expect(!text.isEmpty, "\(key) is missing in \(language)")
                #expect(text != Strings.table(.nb)[key] && text != Strings.table(.en)[key], "\(key) is not translated to \(language)")
                let foreign = (WebErrorMessagesTests.matches(WebErrorMessagesTests.englishWords, text)
                    + WebErrorMessagesTests.matches(WebErrorMessagesTests.norwegianWords, text))
                    .filter { !(shared[language] ?? []).contains($0.lowercased()) }
                #expect(foreign.isEmpty, "\(key) [\(language)] has \(foreign): \(text)")
            }
        }
    }
}
