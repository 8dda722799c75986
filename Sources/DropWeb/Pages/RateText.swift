import DropAPI
import DropCore
import DropHTML

/// A rate on a page, "1 kr = 0,085146 EUR": five significant digits (the price itself was
/// computed with the full rate), the decimal comma in Norwegian.
enum RateText {
    static func row(_ rate: String, currency: String, _ strings: Strings) -> (String, HTML) {
        let shown = (try? FixedPointRate(parsing: rate))?.displayText(for: strings.displayLocale) ?? rate
        return (strings["send.review.rate"], HTML(text: strings.format("send.review.rate.value", ["rate": shown, "currency": currency])))
    }
}
