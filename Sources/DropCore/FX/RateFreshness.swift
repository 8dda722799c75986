/// Whether a reference rate is recent enough to price a transfer with.
///
/// Norges Bank publishes once per business day around 16:00 Oslo time, so in the morning the
/// newest rate is the previous business day's. A rate older than that means the feed has stopped
/// (or our refresh has), and pricing with it would hand the FX risk of a stale rate to Drop.
public enum RateFreshness {
    /// True when `asOf` is the last publication day before `today` (both Oslo dates) or newer.
    public static func isFresh(asOf: CalendarDate, today: CalendarDate) -> Bool {
        asOf >= NorwegianBusinessDays.previousRatePublicationDay(before: today)
    }
}
