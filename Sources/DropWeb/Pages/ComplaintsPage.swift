import DropAPI
import DropHTML
import Foundation

/// `/complaints`: file a complaint (optionally about a transaction) and follow the answers.
enum ComplaintsPage {
    struct State {
        var complaints: [ComplaintView]
        var transactions: [TransactionView]
        var input: [String: String] = [:]
        var errors: [String: String] = [:]
        var notice: String?
    }

    static func render(_ viewer: Viewer, _ state: State) -> HTML {
        let strings = viewer.strings
        let items = state.complaints.map { complaint -> HTML in
            let answer = complaint.resolution.map { resolution -> HTML in #"<p><strong>\#(strings["complaints.answer"])</strong> \#(resolution)</p>"# }
            return """
            <li class="card">
            <h2>\(complaint.subject)</h2>
            <p>\(strings["complaints.status.\(complaint.status.rawValue)"]) · \(strings.format("complaints.due", ["date": WebDates.day(iso: complaint.dueDate, strings)]))</p>
            <p>\(complaint.description)</p>
            \(complaint.transactionId.map { id -> HTML in #"<p><a href="/transactions/\#(id)">\#(strings["complaints.transaction.open"])</a></p>"# })
            \(answer)
            </li>
            """
        }.joined(separator: "\n")
        let transactionOptions = state.transactions.map { transaction in
            (transaction.id, "\(WebDates.format(transaction.createdAt, strings)) · \(strings.money(transaction.amount))")
        }
        return viewer.page("complaints.title", """
        <h1>\(strings["complaints.title"])</h1>
        <p>\(strings["complaints.lead"])</p>
        \(state.notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        \(Field.alert(state.errors["form"]))
        <section class="card" aria-labelledby="complaint-new">
        <h2 id="complaint-new">\(strings["complaints.new"])</h2>
        <form method="post" action="/complaints" novalidate>\(Field.csrf(viewer.csrfToken))
        \(Field.text(id: "subject", name: "subject", label: strings["complaints.subject"], value: state.input["subject"], error: state.errors["subject"],
                     attributes: #" maxlength="120""#))
        <div class="field">
        <label for="description">\(strings["complaints.description"])</label>
        <textarea id="description" name="description" rows="5" maxlength="4000"\(Field.invalid("description", state.errors["description"]))>\(state.input["description"] ?? "")</textarea>
        \(Field.error("description", state.errors["description"]))
        </div>
        \(Field.select(id: "transactionId", name: "transactionId", label: strings["complaints.transaction"], options: transactionOptions,
                       selected: state.input["transactionId"], error: state.errors["transactionId"], placeholder: strings["complaints.transaction.none"]))
        <button class="button primary" type="submit">\(strings["complaints.send"])</button>
        </form>
        </section>
        \(state.complaints.isEmpty ? "<p>\(strings["complaints.none"])</p>" : #"<ul class="list">\#(items)</ul>"#)
        """, errors: state.errors)
    }
}
