/// Fills `{name}` placeholders in a text from a language file: every page, receipt and form error
/// goes through here. One pass over the text: a value is never searched for placeholders itself
/// (a name someone typed can't pull another value in), and a placeholder without a value stays as written.
public enum Placeholders {
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        guard !values.isEmpty, template.utf8.contains(UInt8(ascii: "{")) else { return template }
        var result = ""
        result.reserveCapacity(template.utf8.count + 16)
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(where: { $0 == "}" || $0 == "{" }), rest[close] == "}",
                  let value = values[String(rest[afterOpen..<close])] else {
                // Not a placeholder with a value: the brace is text.
                result.append("{")
                rest = rest[afterOpen...]
                continue
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }
}
