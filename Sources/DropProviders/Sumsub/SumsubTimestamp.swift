import DropCore
import Foundation

/// Reads Sumsub's UTC timestamps: `yyyy-MM-dd HH:mm:ss`, optionally with `.fff` (webhooks'
/// `createdAtMs`) and a `+0000` offset (review dates). Parsed by hand, so no locale or time zone
/// setting can shift it.
enum SumsubTimestamp {
    static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
              bytes[16] == UInt8(ascii: ":"),
              let day = try? CalendarDate(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var rest = bytes[19...]
        var milliseconds = 0
        if rest.first == UInt8(ascii: ".") {
            let fraction = rest.dropFirst().prefix { (0x30...0x39).contains($0) }
            guard !fraction.isEmpty else { return nil }
            milliseconds = (number(fraction.prefix(3)) ?? 0) * [100, 10, 1][fraction.prefix(3).count - 1]
            rest = rest.dropFirst(1 + fraction.count)
        }
        guard rest.isEmpty || rest.elementsEqual("+0000".utf8) || rest.elementsEqual("Z".utf8) else { return nil }
        let seconds = day.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds) + Double(milliseconds) / 1_000)
    }

    private static func number(_ digits: some Collection<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
