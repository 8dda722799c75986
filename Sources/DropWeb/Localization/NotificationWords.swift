import DropAPI
import DropCore
import DropStore

/// A notification's title and body in the reader's language, for the notifications page and the
/// email alike. Drop stores each notification's English beside it; that is shown only for a kind
/// a language has no words for.
struct NotificationWords {
    let title: String
    let body: String

    init(_ notification: NotificationRecord, _ strings: Strings) {
        let key = "notification.\(notification.kind.rawValue)"
        // A bank's consent ended: name the bank (older notifications don't say which).
        if notification.kind == .bankReconnect, let bankId = notification.link?.bankId {
            let bank = ["bank": BankDirectory.norway.name(of: bankId)]
            title = strings.format("\(key).named.title", bank)
            body = strings.format("\(key).named.body", bank)
            return
        }
        // A recipient's bank details changed: name them as the customer knew them.
        // The same for a recipient, or a stopped order's payee, not written in Latin letters.
        if [.recipientPayeeChanged, .recipientNeedsLatinLetters, .standingOrderPayeeNotWritable].contains(notification.kind) {
            guard let name = notification.link?.recipientName else {
                (title, body) = (notification.title, notification.body)
                return
            }
            title = strings.format("\(key).title", ["name": name])
            body = strings.format("\(key).body", ["name": name])
            return
        }
        // A QR payment the bank paid after Drop ended it: name the shop and the amount, as the stored English does.
        if notification.kind == .transactionSettledAfterEnd, let shop = notification.link?.merchantName, let amount = notification.link?.amount {
            title = strings["\(key).title"]
            body = strings.format("\(key).named.body", ["shop": shop, "amount": strings.money(amount)])
            return
        }
        title = strings.has("\(key).title") ? strings["\(key).title"] : notification.title
        body = strings.has("\(key).body") ? strings["\(key).body"] : notification.body
    }
}
