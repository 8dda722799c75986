import Foundation

/// What Drop takes from a bank's answer before using it: a resource id goes into the path of the
/// next call Drop makes with its own credentials, and an SCA page is where Drop sends the customer
/// (a 303 `Location`, a link). Anything else in their place is refused as an unreadable answer.
public enum BankAnswerCheck {
    /// 1 to 128 of `A-Z a-z 0-9 . _ -`, and no dot segment: nothing that could change the path it
    /// is put in (`/`, `..`, `?`, `#`, `%`).
    public static func isResourceId(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id != "." && !id.contains("..")
            && id.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
                default: false
                }
            }
    }

    /// An absolute https URL with a host and no user part, in printable ASCII (no space, no line
    /// break to split a header with). Plain http only at the very origin (scheme, host, port) of
    /// `bankBaseURL` when that is itself http: the bank sandbox of development and tests.
    public static func isSCAPage(_ href: String, bankBaseURL: String) -> Bool {
        guard (1...2048).contains(href.utf8.count), href.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
              let url = URLComponents(string: href), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty,
              url.user == nil, url.password == nil else { return false }
        if scheme == "https" { return true }
        guard scheme == "http", let base = URLComponents(string: bankBaseURL), base.scheme?.lowercased() == "http" else { return false }
        return host == base.host?.lowercased() && url.port == base.port
    }
}
