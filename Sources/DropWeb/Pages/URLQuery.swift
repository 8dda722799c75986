import Foundation

/// A value as it goes into a link's query string: RFC 3986's unreserved characters and `/` stay as
/// they are, everything else (`&`, `=`, `?`, spaces, letters beyond ASCII) is percent-encoded as UTF-8.
enum URLQuery {
    static func value(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Spelled out: `CharacterSet.alphanumerics` would also let through letters such as "ø" unencoded.
    private static let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
}
