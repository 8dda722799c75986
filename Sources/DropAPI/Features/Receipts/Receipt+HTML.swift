import DropHTML

extension Receipt {
    /// A page of its own (it prints well), in the app's stylesheet, with the way back and the PDF.
    var html: HTML {
        let text = ReceiptText(language)
        let sections = self.sections.filter { !$0.rows.isEmpty }.map { section -> HTML in
            let rows = section.rows.map { row -> HTML in "<div><dt>\(row.label)</dt><dd><bdi>\(row.value)</bdi></dd></div>" }
            return """
            <section class="card receipt-section"><h2>\(section.title)</h2>
            <dl class="summary">\(rows)</dl></section>
            """
        }
        return """
        <!doctype html>
        <html lang="\(language.rawValue)" dir="\(language.isRightToLeft ? "rtl" : "ltr")"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · Drop</title><link rel="stylesheet" href="/assets/app.css"></head>
        <body><main id="main" class="receipt">
        <p class="brand">Drop</p>
        <h1>\(title)</h1>
        \(sections)
        <footer class="receipt-footer">\(footer.map { line -> HTML in "<p>\(line)</p>" })</footer>
        <p class="actions no-print"><a class="button primary" href="/v1/transactions/\(transactionId)/receipt?format=pdf">\(text["pdf"])</a>
        <a href="/transactions/\(transactionId)">\(text["back"])</a></p>
        </main></body></html>
        """
    }
}
