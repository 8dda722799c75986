import DropAPI
import DropCore
import DropHTML
import Foundation

/// Pieces every form is built from: labelled fields whose error sits right after them and is
/// tied to them (aria-invalid, aria-describedby), hidden fields, the CSRF token.
enum Field {
    /// The attributes that mark an input invalid and point at its message.
    static func invalid(_ id: String, _ error: String?) -> HTML {
        error == nil ? "" : #" aria-invalid="true" aria-describedby="\#(id)-error""#
    }

    static func error(_ id: String, _ error: String?) -> HTML {
        error.map { text -> HTML in #"<p class="field-error" id="\#(id)-error">\#(text)</p>"# } ?? ""
    }

    static func text(id: String, name: String, label: String, value: String?, error: String?, type: String = "text",
                     attributes: HTML = "", hint: String? = nil) -> HTML {
        let hintHTML = hint.map { text -> HTML in #"<p class="hint" id="\#(id)-hint">\#(text)</p>"# }
        let describedBy = [hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-error" }].compactMap { $0 }.joined(separator: " ")
        return """
        <div class="field">
        <label for="\(id)">\(label)</label>
        \(hintHTML)
        <input id="\(id)" name="\(name)" type="\(type)" value="\(value ?? "")"\(attributes)\(error == nil ? "" : #" aria-invalid="true""#)\(describedBy.isEmpty ? "" : #" aria-describedby="\#(describedBy)""#)>
        \(Self.error(id, error))
        </div>
        """
    }

    static func select(id: String, name: String, label: String, options: [(value: String, label: String)], selected: String?,
                       error: String?, placeholder: String? = nil) -> HTML {
        let first = placeholder.map { text -> HTML in #"<option value="">\#(text)</option>"# }
        let items = options.map { option -> HTML in
            #"<option value="\#(option.value)"\#(option.value == selected ? " selected" : "")>\#(option.label)</option>"#
        }
        return """
        <div class="field">
        <label for="\(id)">\(label)</label>
        <select id="\(id)" name="\(name)"\(invalid(id, error))>\(first)\(items)</select>
        \(Self.error(id, error))
        </div>
        """
    }

    /// A labelled multi-line field whose error follows it, as `Field.text` does for one line.
    static func textarea(id: String, name: String, label: String, value: String?, error: String?, rows: Int = 3) -> HTML {
        """
        <div class="field">
        <label for="\(id)">\(label)</label>
        <textarea id="\(id)" name="\(name)" rows="\(rows)"\(Field.invalid(id, error))>\(value ?? "")</textarea>
        \(Field.error(id, error))
        </div>
        """
    }

    static func hidden(_ name: String, _ value: String?) -> HTML {
        #"<input type="hidden" name="\#(name)" value="\#(value ?? "")">"#
    }

    static func csrf(_ token: String) -> HTML { hidden("csrf", token) }

    /// A one-button form that posts to `action` (mark read, delete, cancel); `key`: its Idempotency-Key.
    static func button(action: String, label: String, csrf token: String, key: String? = nil, primary: Bool = false, danger: Bool = false,
                       describedBy: String? = nil) -> HTML {
        """
        <form method="post" action="\(action)" class="inline">\(csrf(token))\(key.map { hidden("key", $0) })<button class="button\(primary ? " primary" : "")\(danger ? " danger" : "")" type="submit"\(describedBy.map { id -> HTML in #" aria-describedby="\#(id)""# })>\(label)</button></form>
        """
    }

    /// A form-level message (not tied to one field), announced when the page loads.
    static func alert(_ message: String?) -> HTML {
        message.map { text -> HTML in #"<p class="alert" role="alert" id="form-error">\#(text)</p>"# } ?? ""
    }
}

/// What an API error says, in the page's language, per form field. Never the API's own English
/// sentence: an issue or code without a translation reads as the generic "check this field" or
/// "something went wrong" in the page's language.
enum FieldErrors {
    /// Field name as the form knows it → message. "form" holds what belongs to no one field.
    /// `fields` maps API field names to the form's; `codes` places errors that carry no details.
    /// `fill` fills `{name}` placeholders in every message, `fillByField` those of one field's.
    /// A field's own wording (`error.<field>.<issue>`) comes before the issue's (`error.issue.<issue>`).
    static func from(_ error: AppError, strings: Strings, fields: [String: String], codes: [String: String],
                     fill values: [String: String] = [:], fillByField: [String: [String: String]] = [:]) -> [String: String] {
        var result: [String: String] = [:]
        func fill(_ text: String, _ field: String) -> String {
            Placeholders.fill(text, values.merging(fillByField[field] ?? [:]) { $1 })
        }
        let codeKey = "error.code.\(error.code)"
        guard !error.details.isEmpty else {
            let field = codes[error.code] ?? "form"
            result[field] = fill(message(error, strings), field)
            return result
        }
        for detail in error.details {
            let field = detail.field.flatMap { fields[$0] } ?? codes[error.code] ?? "form"
            guard result[field] == nil else { continue }
            let keys = ["error.\(field).\(detail.issue)", "error.issue.\(detail.issue)", codeKey]
            result[field] = fill(keys.first(where: strings.has).map { strings[$0] } ?? strings["error.issue.invalid"], field)
        }
        return result
    }

    /// An error's code in the page's language, for a message that belongs to no field.
    static func message(_ error: AppError, _ strings: Strings) -> String {
        let key = "error.code.\(error.code)"
        if strings.has(key) { return strings[key] }
        // Refused for too many tries (a day's confirmation emails): say so, not that something broke.
        return error.status == .tooManyRequests ? strings["error.429"] : strings["error.generic"]
    }
}

/// The list of what to fix at the top of a form that came back with errors: each links to its
/// field. It takes the focus when the page loads (`error-summary.js`), and the page title starts
/// with "Feil:" / "Error:" (`Layout`).
enum ErrorSummary {
    /// The field's element id for an error key: form names use dots, ids dashes; "form" is the form-level alert.
    static func anchor(_ key: String) -> String {
        key == "form" ? "form-error" : key.replacingOccurrences(of: ".", with: "-")
    }

    /// The errors in the order their fields appear on the page (`main`), each once.
    static func ordered(_ errors: [String: String], in main: HTML) -> [(anchor: String, message: String)] {
        let page = main.description
        func position(_ anchor: String) -> String.Index {
            page.range(of: #"id="\#(anchor)""#)?.lowerBound ?? page.endIndex
        }
        return errors.map { (anchor: anchor($0.key), message: $0.value) }
            .sorted { position($0.anchor) == position($1.anchor) ? $0.anchor < $1.anchor : position($0.anchor) < position($1.anchor) }
    }

    static func render(_ errors: [(anchor: String, message: String)], _ strings: Strings) -> HTML {
        guard !errors.isEmpty else { return "" }
        let items = errors.map { error -> HTML in ##"<li><a href="#\##(error.anchor)">\##(error.message)</a></li>"## }.joined(separator: "\n")
        return """
        <div class="error-summary" id="error-summary" role="region" tabindex="-1" aria-labelledby="error-summary-title">
        <h2 id="error-summary-title">\(strings["error.summary.title"])</h2>
        <ul>
        \(items)
        </ul>
        </div>
        <script src="/assets/error-summary.js" defer></script>
        """
    }
}

/// Country names in the page's language (from the system's locale data), falling back to the code.
enum CountryNames {
    static func name(_ code: String, _ strings: Strings) -> String {
        Locale(identifier: strings.language.localeIdentifier).localizedString(forRegionCode: code) ?? code
    }
}

extension Strings {
    func has(_ key: String) -> Bool { self[key] != key }

    /// The string with `{name}` placeholders filled in.
    func format(_ key: String, _ values: [String: String]) -> String {
        Placeholders.fill(self[key], values)
    }

    var displayLocale: DisplayLocale { language.displayLocale }

    func money(_ value: Money) -> String { value.formatted(for: displayLocale) }
}

/// A card's details as a description list, one label and value per row.
enum DetailList {
    static func render(_ rows: [(String, HTML)]) -> HTML {
        #"<dl class="summary">"# + rows.map { row -> HTML in #"<div><dt>\#(row.0)</dt><dd>\#(row.1)</dd></div>"# }.joined(separator: "\n") + "</dl>"
    }
}

/// IBANs as people read them: in groups of four (`PL61 1090 1014 …`); anything unreadable as it is.
enum IBANDisplay {
    static func grouped(_ iban: String) -> String {
        (try? IBAN(iban))?.formatted ?? iban
    }
}
