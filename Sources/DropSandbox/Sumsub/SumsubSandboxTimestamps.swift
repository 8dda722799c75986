import DropCore
import Foundation

/// Sumsub's UTC timestamp texts, written by hand so no locale or time zone setting can shift them.
enum SumsubSandboxTimestamps {
    /// `yyyy-MM-dd HH:mm:ss`, as in an applicant's `createdAt`.
    static func seconds(_ date: Date) -> String {
        let (day, secondOfDay, _) = split(date)
        return "\(day) \(clock(secondOfDay))"
    }

    /// `yyyy-MM-dd HH:mm:ss+0000`, as in a review's `createDate` and `reviewDate`.
    static func secondsWithOffset(_ date: Date) -> String {
        seconds(date) + "+0000"
    }

    /// `yyyy-MM-dd HH:mm:ss.fff`, as in a webhook's `createdAtMs`.
    static func milliseconds(_ date: Date) -> String {
        let (day, secondOfDay, millisecond) = split(date)
        return "\(day) \(clock(secondOfDay)).\(padded(millisecond, 3))"
    }

    private static func split(_ date: Date) -> (day: String, secondOfDay: Int, millisecond: Int) {
        let totalMilliseconds = Int((date.timeIntervalSince1970 * 1_000).rounded(.down))
        let (days, millisecondOfDay) = floorDivision(totalMilliseconds, 86_400_000)
        let day = (try? CalendarDate(daysSinceEpoch: days))?.iso ?? "1970-01-01"
        return (day, millisecondOfDay / 1_000, millisecondOfDay % 1_000)
    }

    private static func clock(_ secondOfDay: Int) -> String {
        "\(padded(secondOfDay / 3_600, 2)):\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2))"
    }

    private static func floorDivision(_ value: Int, _ divisor: Int) -> (Int, Int) {
        let remainder = ((value % divisor) + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
