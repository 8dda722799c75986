/// One currency series of the simulated feed, with a late-2026 anchor value.
///
/// `anchor` is NOK per 10^unitMultiplier units, in units of 10^-decimals (so EUR 11.7000 at
/// 4 decimals is 117_000), because the feed publishes SEK, JPY and other small units per 100.
struct ReferenceCurrency: Sendable, Hashable {
    let code: String
    let name: String
    let unitMultiplier: Int
    let decimals: Int
    let anchor: Int64
    /// True where Norges Bank derives the rate via USD cross rates instead of the ECB concertation.
    let calculated: Bool
}

extension ReferenceCurrency {
    /// The series the sandbox publishes: everything Drop's corridors need plus the usual majors.
    /// Currencies outside Norges Bank's real list (NGN, KES, ETB, LKR, BAM, RSD, UAH, MAD, AED)
    /// are included so every corridor can be priced; they are marked calculated.
    static let catalogue: [ReferenceCurrency] = [
        .init(code: "AED", name: "UAE dirham", unitMultiplier: 0, decimals: 4, anchor: 28_450, calculated: true),
        .init(code: "AUD", name: "Australian dollar", unitMultiplier: 0, decimals: 4, anchor: 68_500, calculated: false),
        .init(code: "BAM", name: "Bosnia-Herzegovina convertible mark", unitMultiplier: 0, decimals: 4, anchor: 59_820, calculated: true),
        .init(code: "BGN", name: "Bulgarian lev", unitMultiplier: 0, decimals: 4, anchor: 59_820, calculated: false),
        .init(code: "BRL", name: "Brazilian real", unitMultiplier: 0, decimals: 4, anchor: 19_000, calculated: false),
        .init(code: "CAD", name: "Canadian dollar", unitMultiplier: 0, decimals: 4, anchor: 75_500, calculated: false),
        .init(code: "CHF", name: "Swiss franc", unitMultiplier: 0, decimals: 4, anchor: 125_000, calculated: false),
        .init(code: "CNY", name: "Chinese yuan", unitMultiplier: 2, decimals: 4, anchor: 1_465_000, calculated: false),
        .init(code: "CZK", name: "Czech koruna", unitMultiplier: 2, decimals: 4, anchor: 473_000, calculated: false),
        .init(code: "DKK", name: "Danish krone", unitMultiplier: 2, decimals: 4, anchor: 1_568_500, calculated: false),
        .init(code: "ETB", name: "Ethiopian birr", unitMultiplier: 2, decimals: 4, anchor: 74_000, calculated: true),
        .init(code: "EUR", name: "Euro", unitMultiplier: 0, decimals: 4, anchor: 117_000, calculated: false),
        .init(code: "GBP", name: "British pound", unitMultiplier: 0, decimals: 4, anchor: 137_500, calculated: false),
        .init(code: "HKD", name: "Hong Kong dollar", unitMultiplier: 2, decimals: 4, anchor: 1_340_000, calculated: false),
        .init(code: "HUF", name: "Hungarian forint", unitMultiplier: 2, decimals: 4, anchor: 30_000, calculated: false),
        .init(code: "IDR", name: "Indonesian rupiah", unitMultiplier: 2, decimals: 6, anchor: 64_000, calculated: false),
        .init(code: "ILS", name: "Israeli shekel", unitMultiplier: 0, decimals: 4, anchor: 28_500, calculated: false),
        .init(code: "INR", name: "Indian rupee", unitMultiplier: 2, decimals: 4, anchor: 120_500, calculated: false),
        .init(code: "ISK", name: "Icelandic krona", unitMultiplier: 2, decimals: 4, anchor: 83_000, calculated: false),
        .init(code: "JPY", name: "Japanese yen", unitMultiplier: 2, decimals: 4, anchor: 69_500, calculated: false),
        .init(code: "KES", name: "Kenyan shilling", unitMultiplier: 2, decimals: 4, anchor: 81_000, calculated: true),
        .init(code: "KRW", name: "South Korean won", unitMultiplier: 2, decimals: 4, anchor: 7_500, calculated: false),
        .init(code: "LKR", name: "Sri Lankan rupee", unitMultiplier: 2, decimals: 4, anchor: 35_000, calculated: true),
        .init(code: "MAD", name: "Moroccan dirham", unitMultiplier: 0, decimals: 4, anchor: 11_300, calculated: true),
        .init(code: "MXN", name: "Mexican peso", unitMultiplier: 0, decimals: 4, anchor: 5_500, calculated: false),
        .init(code: "MYR", name: "Malaysian ringgit", unitMultiplier: 0, decimals: 4, anchor: 24_000, calculated: false),
        .init(code: "NGN", name: "Nigerian naira", unitMultiplier: 2, decimals: 4, anchor: 6_950, calculated: true),
        .init(code: "NZD", name: "New Zealand dollar", unitMultiplier: 0, decimals: 4, anchor: 61_000, calculated: false),
        .init(code: "PHP", name: "Philippine peso", unitMultiplier: 2, decimals: 4, anchor: 179_000, calculated: false),
        .init(code: "PKR", name: "Pakistani rupee", unitMultiplier: 2, decimals: 4, anchor: 37_200, calculated: false),
        .init(code: "PLN", name: "Polish zloty", unitMultiplier: 0, decimals: 4, anchor: 27_400, calculated: false),
        .init(code: "RON", name: "Romanian leu", unitMultiplier: 0, decimals: 4, anchor: 23_000, calculated: false),
        .init(code: "RSD", name: "Serbian dinar", unitMultiplier: 2, decimals: 4, anchor: 99_900, calculated: true),
        .init(code: "SEK", name: "Swedish krona", unitMultiplier: 2, decimals: 4, anchor: 1_072_000, calculated: false),
        .init(code: "SGD", name: "Singapore dollar", unitMultiplier: 0, decimals: 4, anchor: 80_500, calculated: false),
        .init(code: "THB", name: "Thai baht", unitMultiplier: 2, decimals: 4, anchor: 315_000, calculated: false),
        .init(code: "TRY", name: "Turkish lira", unitMultiplier: 0, decimals: 4, anchor: 2_450, calculated: false),
        .init(code: "TWD", name: "New Taiwan dollar", unitMultiplier: 2, decimals: 4, anchor: 325_000, calculated: false),
        .init(code: "UAH", name: "Ukrainian hryvnia", unitMultiplier: 0, decimals: 4, anchor: 2_490, calculated: true),
        .init(code: "USD", name: "US dollar", unitMultiplier: 0, decimals: 4, anchor: 104_500, calculated: false),
        .init(code: "VND", name: "Vietnamese dong", unitMultiplier: 2, decimals: 6, anchor: 40_200, calculated: false),
        .init(code: "ZAR", name: "South African rand", unitMultiplier: 0, decimals: 4, anchor: 5_900, calculated: false),
    ]
}
