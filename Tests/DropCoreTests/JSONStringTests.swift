import DropCore
import Foundation
import Testing

/// `JSONString` writes JSON any parser reads back as the very text, escaping only what must be.
struct JSONStringTests {
    private func escaped(_ text: String) -> String {
        var bytes: [UInt8] = []
        var text = text
        text.withUTF8 { JSONString.escape($0) { bytes.append(contentsOf: $0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        #expect(escaped(#"a"b\c"#) == #"a\"b\\c"#)
        #expect(escaped("\u{8}\u{C}\n\r\t") == #"\b\f\n\r\t"#)
        #expect(escaped("\u{0}\u{1}\u{1F}") == #"\u0000\u0001\u001f"#)
        // What needs no escape is left as it is: slashes, DEL, non-ASCII.
        #expect(escaped("a/b\u{7F}Ærlig 🇳🇴") == "a/b\u{7F}Ærlig 🇳🇴")
        #expect(escaped("") == "")
    }

    @Test func anArrayReadsBackAsTheSameStrings() throws {
        let hostile = ["", "usr_01", "20 usr_02", #"'); DROP TABLE sessions; --"#, #"\"]"#, "tab\there", "ÆØÅ 日本 👩🏽‍💻",
                       String(decoding: Array(UInt8(0)..<0x80), as: UTF8.self), "\u{2028}\u{FEFF}"]
        for strings in [[], [hostile[0]], hostile] {
            let json = JSONString.array(strings)
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
            #expect(parsed == strings, "\(json)")
        }
        #expect(JSONString.array(["a", "b"]) == #"["a","b"]"#)
    }
}
