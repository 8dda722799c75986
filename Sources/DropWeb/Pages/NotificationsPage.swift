import DropAPI
import DropCore
import DropHTML
import DropStore
import Foundation

/// `/notifications`: what Drop has told the person, newest first; mark one or all as read.
enum NotificationsPage {
    static func render(_ viewer: Viewer, _ listing: NotificationService.Listing) -> HTML {
        let strings = viewer.strings
        let items = listing.items.map { notification -> HTML in
            let words = NotificationWords(notification, strings)
            let link = notification.link ?? NotificationLink()
            let unread = notification.readAt == nil
            let headingId = "notification-\(notification.id)"
            var actions: [HTML] = []
            // Ids go into a link as they are, so only a well-formed one makes one.
            if let transaction = link.transactionId, UUID(uuidString: transaction) != nil {
                // A shop's payment is the payer's transaction: the merchant sees it on their own page.
                let path = notification.kind.subject == .merchant ? "/merchant/payments/\(transaction)" : "/transactions/\(transaction)"
                actions.append(#"<a href="\#(path)" aria-describedby="\#(headingId)">\#(strings["notifications.open"])</a>"#)
            } else if let order = link.standingOrderId, UUID(uuidString: order) != nil {
                actions.append(#"<a href="/standing?order=\#(order)" aria-describedby="\#(headingId)">\#(strings["notifications.open"])</a>"#)
            } else if notification.kind == .bankReconnect {
                actions.append(#"<a href="/bank-accounts" aria-describedby="\#(headingId)">\#(strings["notifications.reconnect"])</a>"#)
            } else if notification.kind.subject == .recipient {
                actions.append(#"<a href="/recipients" aria-describedby="\#(headingId)">\#(strings["email.open.recipients"])</a>"#)
            }
            if unread {
                actions.append(Field.button(action: "/notifications/\(notification.id)/read", label: strings["notifications.markread"],
                                            csrf: viewer.csrfToken, describedBy: headingId))
            }
            return """
            <li class="card notification\(unread ? " unread" : "")">
            <h2 id="\(headingId)">\(unread ? #"<span class="badge">\#(strings["notifications.new"])</span> "# : "")\(words.title)</h2>
            <p>\(words.body)</p>
            <p class="muted">\(WebDates.element(notification.createdAt, strings))</p>
            <div class="actions">\(actions.joined(separator: "\n"))</div>
            </li>
            """
        }.joined(separator: "\n")
        let markAll: HTML = listing.unreadCount > 0
            ? Field.button(action: "/notifications/read-all", label: strings["notifications.markall"], csrf: viewer.csrfToken) : ""
        let more = listing.nextCursor.map { cursor -> HTML in #"<p><a href="/notifications?cursor=\#(cursor)">\#(strings["tx.more"])</a></p>"# }
        return viewer.page("notifications.title", """
        <h1>\(strings["notifications.title"])</h1>
        <p role="status">\(strings.format("notifications.unread", ["count": String(listing.unreadCount)]))</p>
        \(markAll)
        \(listing.items.isEmpty ? "<p>\(strings["notifications.none"])</p>" : #"<ul class="list">\#(items)</ul>"#)
        \(more)
        """)
    }
}
