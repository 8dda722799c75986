import DropCore
import DropFuzzChecks
import Testing

/// `XMLTree`'s own reader, checked against what XML 1.0 and Namespaces in XML say a reader must do.
struct XMLTreeTests {
    private func malformed(_ xml: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: XMLTreeError.self, sourceLocation: sourceLocation) { try XMLTree.parse(xml) }
        guard case .malformed? = error else {
            Issue.record("expected malformed for \(xml.debugDescription), got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
    }

    @Test func namespacesResolveByScope() throws {
        let root = try XMLTree.parse("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Document xmlns="urn:a" xmlns:b="urn:b">
              <b:Hdr b:Id="1" Plain="2"><Inner/></b:Hdr>
              <Other xmlns="urn:c"><Deep xmlns=""/></Other>
            </Document>
            """)
        #expect(root.name == "Document" && root.namespace == "urn:a")
        let header = try #require(root.child("Hdr"))
        #expect(header.namespace == "urn:b")
        #expect(header.attributes == ["Id": "1", "Plain": "2"])
        #expect(header.child("Inner")?.namespace == "urn:a")
        #expect(root.child("Other")?.namespace == "urn:c")
        #expect(root.descendant("Other", "Deep")?.namespace == nil)
        #expect(try XMLTree.parse("<x:a xmlns:x='urn:x' xml:lang='nb'/>").attributes == ["lang": "nb"])
    }

    @Test func referencesCDATAAndLineEndsReadAsTheirCharacters() throws {
        let root = try XMLTree.parse("<a><b>&lt;&gt;&amp;&apos;&quot; &#229;&#xE6;&#x1F600;</b><c><![CDATA[<not> & markup]]></c>\r\n<d>one\r\ntwo\rthree</d><e v=\"x\ty&#10;z\r\nw\"/><!-- a comment --></a>")
        #expect(root.value("b") == "<>&'\" åæ😀")
        #expect(root.child("c")?.text == "<not> & markup")
        #expect(root.child("d")?.text == "one\ntwo\nthree")
        #expect(root.child("e")?.attributes["v"] == "x y\nz w")
        #expect(root.children.map(\.name) == ["b", "c", "d", "e"])
    }

    @Test func elementsAndErrorsKnowTheirLines() throws {
        let root = try XMLTree.parse("<a>\n<b/>\r\n<c/>\r<d/></a>")
        #expect(root.children.map(\.line) == [2, 3, 4])
        let error = #expect(throws: XMLTreeError.self) { try XMLTree.parse("<a>\n  <b></c>\n</a>") }
        guard case let .malformed(line, column, reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(line == 2 && column == 6 && reason.contains("does not close"))
    }

    @Test func notWellFormedIsRefused() {
        for xml in [
            "", "   ", "text", "<a>", "<a></b>", "<a><b></a></b>", "<a/><b/>", "<a/>text", "x<a/>",
            "<a b='1' b='2'/>", "<a b='1'c='2'/>", "<a b=1/>", "<a b='<'/>", "<a b='1/>",
            "<a>]]></a>", "<a>&unknown;</a>", "<a>&#0;</a>", "<a>&#xD800;</a>", "<a>&#xFFFE;</a>", "<a>&#x110000;</a>",
            "<a>&#;</a>", "<a>&#x;</a>", "<a>& b</a>", "<a>&#12a;</a>", "<a>\u{1}</a>", "<a>\u{FFFF}</a>",
            "<a><!-- x -- y --></a>", "<a><!-- unfinished</a>", "<a><![CDATA[ unfinished</a>", "<a><!ELEMENT a ANY></a>",
            "<1a/>", "<a:/>", "<:a/>", "<a:b:c/>", "<p:a/>", "<a p:b='1'/>", "<a xmlns:p=''/>", "<a xmlns:xmlns='urn:x'/>",
            "<a xmlns:xml='urn:x'/>", "<a xmlns:p='http://www.w3.org/XML/1998/namespace'/>",
            "<?xml version='2.0'?><a/>", "<?xml encoding='UTF-8'?><a/>",
            "<?xml version='1.0' standalone='maybe'?><a/>", "<?xml version='1.0' standalone='yes' encoding='UTF-8'?><a/>",
            "<?xml version='1.0'version='1.0'?><a/>", "<a></a >x", "</a>", "<a",
        ] {
            malformed(xml)
        }
    }

    @Test func doctypesProcessingInstructionsAndDepthAreRefused() {
        #expect(throws: XMLTreeError.doctypeNotAllowed) { try XMLTree.parse("<!DOCTYPE a><a/>") }
        #expect(throws: XMLTreeError.doctypeNotAllowed) { try XMLTree.parse("<a><![CDATA[<!DOCTYPE a>]]></a>") }
        #expect(throws: XMLTreeError.processingInstructionNotAllowed) { try XMLTree.parse("<a/><?pi data?>") }
        #expect(throws: XMLTreeError.processingInstructionNotAllowed) { try XMLTree.parse("<?xml?><a/>") }
        #expect(throws: XMLTreeError.processingInstructionNotAllowed) { try XMLTree.parse(" <?xml version='1.0'?><a/>") }
        #expect(throws: XMLTreeError.processingInstructionNotAllowed) { try XMLTree.parse("<a><?xml version='1.0'?></a>") }
        let deep = String(repeating: "<a>", count: XMLTree.maximumDepth + 1) + String(repeating: "</a>", count: XMLTree.maximumDepth + 1)
        #expect(throws: XMLTreeError.tooDeep(line: 1)) { try XMLTree.parse(deep) }
        let deepest = String(repeating: "<a>", count: XMLTree.maximumDepth) + String(repeating: "</a>", count: XMLTree.maximumDepth)
        #expect(throws: Never.self) { try XMLTree.parse(deepest) }
        #expect(throws: XMLTreeError.mixedContent(element: "a", line: 1)) { try XMLTree.parse("<a>text<b/></a>") }
        #expect(throws: XMLTreeError.mixedContent(element: "a", line: 1)) { try XMLTree.parse("<a><b/><![CDATA[x]]></a>") }
    }

    @Test func whitespaceBetweenChildrenIsLayout() throws {
        let root = try XMLTree.parse("<a>\n\t<b> kept </b>\r\n  <c></c>\n</a>")
        #expect(root.text == "")
        #expect(root.child("b")?.text == " kept ")
        #expect(root.child("c")?.text == "")
    }

    /// Every message Drop writes reads back as the tree it describes, and a tree written back reads the same.
    @Test(arguments: [
        "<Document xmlns='urn:iso'><GrpHdr><MsgId>A&amp;B</MsgId><Nm>Bjørn Åsen &lt;3</Nm></GrpHdr><Amt Ccy=\"EUR\">1.00</Amt></Document>",
        "<a xmlns:p='urn:p'><p:b p:x='&#13;&#9;&#10;' y=\"'&quot;\"><![CDATA[\r]]>&#13;</p:b></a>",
    ])
    func writtenBackReadsTheSame(_ xml: String) throws {
        let tree = try XMLTree.parse(xml)
        let again = try XMLTree.parse(XMLTreeRoundTrip.document(tree))
        #expect(XMLTreeRoundTrip.withoutLines(again) == XMLTreeRoundTrip.withoutLines(tree))
    }

    @Test func theWriterEscapesWhatAReaderWouldChange() throws {
        var writer = XMLWriter()
        writer.element("Nm", "line\r\nend\tx", attributes: [("v", "a\tb\nc\rd")])
        let root = try XMLTree.parse(writer.finish())
        #expect(root.text == "line\r\nend\tx")
        #expect(root.attributes["v"] == "a\tb\nc\rd")
    }
}
