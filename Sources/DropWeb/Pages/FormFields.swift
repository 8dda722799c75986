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

    static func hidden(_ name: String, _ value: String?) -> HTML {
        #"<input type="hidden" name="\#(name)" value="\#(value ?? "")">"#
    }

    static func csrf(_ token: String) -> HTML { hidden("csrf", token) }

    /// A one-button form that posts to `action` (mark read, delete, cancel).
    static func button(action: String, label: String, csrf token: String, primary: Bool = false, danger: Bool = false,
                       describedBy: String? = nil) -> HTML {
        """
        <form method="post" action="\(action)" class="inline">\(csrf(token))<button class="button\(primary ? " primary" : "")\(danger ? " danger" : "")" type="submit"\(describedBy.map { id -> HTML in #" aria-describedby="\#(id)""# })>\(label)</button></form>
        """
    }

    /// A form-level message (not tied to one field), announced when the page loads.
    static func alert(_ message: String?) -> HTML {
        message.map { text -> HTML in #"<p class="alert" role="alert" id="form-error">\#(text)</p>"# } ?? ""
    }
}

/// What an API error says, in the page's language, per form field.
enum FieldErrors {
    /// Field name as the form knows it → message. "form" holds what belongs to no one field.
    /// `fields` maps API field names to the form's; `codes` places errors that carry no details.
    static func from(_ error: AppError, strings: Strings, fields: [String: String], codes: [String: String],
                     fill values: [String: String] = [:]) -> [String: String] {
        var result: [String: String] = [:]
        func fill(_ text: String) -> String {
            values.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        let codeKey = "error.code.\(error.code)"
        let codeMessage = strings.has(codeKey) ? strings[codeKey] : error.message
        guard !error.details.isEmpty else {
            result[codes[error.code] ?? "form"] = fill(codeMessage)
            return result
        }
        for detail in error.details {
            let field = detail.field.flatMap { fields[$0] } ?? codes[error.code] ?? "form"
            let issueKey = "error.issue.\(detail.issue)"
            let message = strings.has(issueKey) ? strings[issueKey] : strings.has(codeKey) ? codeMessage : (detail.message ?? error.message)
            if result[field] == nil { result[field] = fill(message) }
        }
        return result
    }
}

/// Country names in the page's language (from the system's locale data), falling back to the code.
enum CountryNames {
    static func name(_ code: String, _ strings: Strings) -> String {
        Locale(identifier: strings.language == .nb ? "nb_NO" : "en_GB").localizedString(forRegionCode: code) ?? code
    }
}

extension Strings {
    func has(_ key: String) -> Bool { self[key] != key }

    /// The string with `{name}` placeholders filled in.
    func format(_ key: String, _ values: [String: String]) -> String {
        values.reduce(self[key]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    var displayLocale: DisplayLocale { language == .nb ? .nb : .en }

    func money(_ value: Money) -> String { value.formatted(for: displayLocale) }
}

/// IBANs as people read them: in groups of four (`PL61 1090 1014 …`); anything unreadable as it is.
enum IBANDisplay {
    static func grouped(_ iban: String) -> String {
        (try? IBAN(iban))?.formatted ?? iban
    }
}
