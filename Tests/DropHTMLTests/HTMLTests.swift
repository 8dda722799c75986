import Testing
@testable import DropHTML

@Suite("HTML: text is escaped unless it is markup already")
struct HTMLTests {
    static let hostile = #"<script>alert("x" & 'y')</script>"#
    static let escaped = "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"

    @Test func literalsAreMarkupAndInterpolatedTextIsEscaped() {
        let name = Self.hostile
        let page: HTML = "<p class=\"name\">\(name)</p>"
        #expect(page.description == #"<p class="name">"# + Self.escaped + "</p>")
        #expect(HTML.escape(Self.hostile) == Self.escaped)
        #expect(HTML.escape("Ærlig talt, 5 kr") == "Ærlig talt, 5 kr")
    }

    /// Escaping works on the characters' bytes, not on what Swift counts as one character: a `<`
    /// followed by a combining mark is one `Character` ("<\u{301}") and must still not open a tag.
    @Test func aCombiningMarkDoesNotShieldAnAngleBracket() {
        #expect(HTML.escape("<\u{301}script>alert(1)</script>") == "&lt;\u{301}script&gt;alert(1)&lt;/script&gt;")
        #expect(HTML.escape("\"\u{20DD} onfocus=x") == "&quot;\u{20DD} onfocus=x")
        // Every other character, from Norwegian to Arabic and emoji, goes through unchanged around the five.
        let mixed = "Zoë & Ålesund: ☕️👩🏽‍💻 شكرا <ok>"
        #expect(HTML.escape(mixed) == "Zoë &amp; Ålesund: ☕️👩🏽‍💻 شكرا &lt;ok&gt;")
        #expect(HTML.escape("") == "" && HTML.escape("Ærlig") == "Ærlig")
    }

    @Test func attributeValuesCannotBeLeft() {
        let value = #"" onfocus="alert(1)"#
        let single = "' autofocus onfocus='alert(1)"
        let input: HTML = #"<input value="\#(value)" title='\#(single)'>"#
        #expect(input.description == #"<input value="&quot; onfocus=&quot;alert(1)" title='&#39; autofocus onfocus=&#39;alert(1)'>"#)
    }

    @Test func substringsNumbersAndOtherValuesAreEscapedToo() {
        let text = "a<b>c"
        let part: Substring = text.dropFirst()
        struct Shown: CustomStringConvertible { var description: String { "<i>" } }
        let html: HTML = "\(part) \(42) \(1.5) \(Shown())"
        #expect(html.description == "&lt;b&gt;c 42 1.5 &lt;i&gt;")
    }

    @Test func nestedHTMLIsNotEscapedAgain() {
        let name = "Tom & Jerry"
        let inner: HTML = "<strong>\(name)</strong>"
        let outer: HTML = "<p>\(inner)</p>"
        #expect(outer.description == "<p><strong>Tom &amp; Jerry</strong></p>")
    }

    @Test(arguments: [true, false])
    func literalsInsideAnInterpolationAreMarkup(selected: Bool) {
        let option: HTML = "<option\(selected ? " selected" : "")>x</option>"
        let attributes: HTML = "<p\(selected ? #" class="on""# : "")>"
        #expect(option.description == (selected ? "<option selected>x</option>" : "<option>x</option>"))
        #expect(attributes.description == (selected ? #"<p class="on">"# : "<p>"))
    }

    @Test func anAbsentOptionalRendersNothing() {
        let missing: HTML? = nil
        let present: HTML? = "<b>x</b>"
        let html: HTML = "[\(missing)][\(present)]"
        #expect(html.description == "[][<b>x</b>]")
    }

    @Test func arraysAreJoined() {
        let names = ["<a>", "b&"]
        let items = names.map { name -> HTML in "<li>\(name)</li>" }
        let list: HTML = "<ul>\(items)</ul>"
        #expect(list.description == "<ul><li>&lt;a&gt;</li><li>b&amp;</li></ul>")
        #expect(items.joined(separator: "\n").description == "<li>&lt;a&gt;</li>\n<li>b&amp;</li>")
        #expect([HTML]().joined().isEmpty)
    }

    @Test func concatenationKeepsMarkupAndEscapesText() {
        // A literal written in the code is markup; text comes from a value, and is escaped.
        let term: String = "x<y"
        var html: HTML = "<dl>"
        html += "<dt>\(term)</dt>"
        #expect((html + "</dl>").description == "<dl><dt>x&lt;y</dt></dl>")
    }

    @Test func onlyTheNamedEntryPointTakesRawMarkup() {
        let svg = #"<svg role="img"><title>QR</title></svg>"#
        #expect(HTML(trustedMarkup: svg).description == svg)
        #expect(HTML(text: svg).description == #"&lt;svg role=&quot;img&quot;&gt;&lt;title&gt;QR&lt;/title&gt;&lt;/svg&gt;"#)
        let wrapped: HTML = "\(svg)"
        #expect(wrapped.description != svg)
    }

    @Test(arguments: [
        "https://drop.example/pay/ABCD2345?amount=100&ref=x",
        "http://localhost:8080/sandbox/bank/dnb/sca/1",
        "/transactions/1",
        "?cursor=abc",
        "#main",
        "transactions/1",
        "",
    ])
    func webAndRelativeURLsAreKept(url: String) {
        #expect(HTML.url(url).description == HTML.escape(url))
    }

    @Test(arguments: [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\u{01}javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "mailto:x@example.com",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "https:\\\\evil.example",
    ])
    func otherSchemesAndOtherHostsBecomeAHarmlessFragment(url: String) {
        #expect(HTML.url(url).description == "#")
    }

    @Test func urlsAreEscapedForTheAttribute() {
        let link: HTML = #"<a href="\#(HTML.url(#"/pay/x?a=1&b="><script>"#))">pay</a>"#
        #expect(link.description == #"<a href="/pay/x?a=1&amp;b=&quot;&gt;&lt;script&gt;">pay</a>"#)
    }
}
