import DropHTML

/// The web app's icons: one inline SVG sprite per page (`Icon.sprite`, in `Layout`), each icon a
/// `<symbol>` drawn with `<use>` where it appears, so a page carries each shape once and the icons
/// take the text's colour (`currentColor`). 24×24 outlines; decorative, always beside a word.
enum Icon: String, CaseIterable, Sendable {
    // The tab bar.
    case home, send, scan, history, profile
    // Statuses and the tracker's steps.
    case check, cross, progress, clock, hourglass, alert, ban, undo, dot

    /// The symbol's inner SVG.
    private var shape: HTML {
        switch self {
        case .home: #"<path d="M3 11l9-7 9 7v9a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z"/>"#
        case .send: #"<path d="M4 12h14M13 6l6 6-6 6"/>"#
        case .scan: #"<path d="M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h2v2h-2zM18 18h2v2h-2zM14 18h2v2h-2zM18 14h2v2h-2z"/>"#
        case .history, .clock: #"<path d="M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z"/>"#
        case .profile: #"<path d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0"/>"#
        case .check: #"<path d="M5 12.5l4.5 4.5L19 7.5"/>"#
        case .cross: #"<path d="M6 6l12 12M18 6L6 18"/>"#
        case .progress: #"<path d="M20 12a8 8 0 1 1-2.34-5.66M20 4v4h-4"/>"#
        case .hourglass: #"<path d="M6 3h12M6 21h12M7 3v2a5 5 0 0 0 10 0V3M7 21v-2a5 5 0 0 1 10 0v2"/>"#
        case .alert: #"<path d="M12 3l10 18H2zM12 10v4M12 17.5v.01"/>"#
        case .ban: #"<path d="M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0zM5.6 5.6l12.8 12.8"/>"#
        case .undo: #"<path d="M9 14L4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3"/>"#
        case .dot: #"<circle cx="12" cy="12" r="5" fill="currentColor" stroke="none"/>"#
        }
    }

    /// Every symbol, once, hidden; the first thing in `<body>`.
    static let sprite: HTML = {
        let symbols = allCases.map { icon -> HTML in #"<symbol id="i-\#(icon.rawValue)" viewBox="0 0 24 24">\#(icon.shape)</symbol>"# }.joined()
        return #"<svg class="sprite" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false">\#(symbols)</svg>"#
    }()

    /// Arrows that point the way text reads turn round on a right-to-left page (app.css `.flip`).
    private var pointsAlongTheText: Bool { self == .send || self == .undo }

    /// The icon where it is shown; `className` sizes it (`icon` is 1em, beside text).
    func svg(className: String = "icon") -> HTML {
        let classes = pointsAlongTheText ? className + " flip" : className
        return ##"<svg class="\##(classes)" aria-hidden="true" focusable="false"><use href="#i-\##(rawValue)"/></svg>"##
    }
}
