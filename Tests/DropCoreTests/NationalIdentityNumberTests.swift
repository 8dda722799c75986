import DropTestTools
import Testing
@testable import DropCore

@Suite("NationalIdentityNumber")
struct NationalIdentityNumberTests {
    /// Builds a number with correct check digits from its date digits and individual number,
    /// or nil when no check digit exists for that body (the registry never issues those).
    static func make(day: Int, month: Int, twoDigitYear: Int, individual: Int) -> String? {
        func two(_ n: Int) -> [Int] { [n / 10, n % 10] }
        var digits = two(day) + two(month) + two(twoDigitYear) + [individual / 100, individual / 10 % 10, individual % 10]
        guard let k1 = testMod11(digits, [3, 7, 6, 1, 8, 9, 4, 5, 2]) else { return nil }
        digits.append(k1)
        guard let k2 = testMod11(digits, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) else { return nil }
        digits.append(k2)
        return digits.map(String.init).joined()
    }

    /// Like `make`, but walks individual numbers upwards from `individual` (keeping within `limit`)
    /// until one has valid check digits.
    static func makeFirstValid(day: Int, month: Int, twoDigitYear: Int, individual: Int, limit: Int) throws -> String {
        for candidate in individual...limit {
            if let number = make(day: day, month: month, twoDigitYear: twoDigitYear, individual: candidate) { return number }
        }
        throw ValidationIssue(field: nil, issue: "test", message: "no valid number in range")
    }

    /// A valid number for exactly this individual number and year, on whichever June day has check digits.
    static func makeOnSomeDay(twoDigitYear: Int, individual: Int) throws -> String {
        for day in 1...30 {
            if let number = make(day: day, month: 6, twoDigitYear: twoDigitYear, individual: individual) { return number }
        }
        throw ValidationIssue(field: nil, issue: "test", message: "no valid number in June")
    }

    // MARK: Published vectors and sandbox persons

    @Test func protocolVectors() throws {
        let fnr = try NationalIdentityNumber("15108695088")
        #expect(fnr.kind == .birthNumber)
        #expect(fnr.birthDate == (try CalendarDate(iso: "1986-10-15")))
        #expect(fnr.gender == .female)

        #expect { try NationalIdentityNumber("15108695077") } throws: { ($0 as? ValidationIssue)?.issue == "checksum" }

        let dNumber = try NationalIdentityNumber("41019010110")
        #expect(dNumber.kind == .dNumber)
        #expect(dNumber.birthDate == (try CalendarDate(iso: "1990-01-01")))
        #expect(dNumber.gender == .male)
    }

    @Test("sandbox persons (docs/api.md)", arguments: [
        ("15039010043", "1990-03-15", NationalIdentityNumber.Kind.birthNumber),
        ("01078510133", "1985-07-01", .birthNumber),
        ("20051250096", "2012-05-20", .birthNumber),
        ("11116110182", "1961-11-11", .birthNumber),
        ("28027910043", "1979-02-28", .birthNumber),
        ("09017010163", "1970-01-09", .birthNumber),
        ("52069210031", "1992-06-12", .dNumber),
        ("30098010021", "1980-09-30", .birthNumber),
        ("04047510142", "1975-04-04", .birthNumber),
    ])
    func sandboxPersons(id: String, born: String, kind: NationalIdentityNumber.Kind) throws {
        let number = try NationalIdentityNumber(id)
        #expect(number.birthDate == (try CalendarDate(iso: born)))
        #expect(number.kind == kind)
        #expect(number.digitsForHashing == id)
    }

    @Test func miaMinorIsUnder18() throws {
        let mia = try NationalIdentityNumber("20051250096")
        #expect(mia.age(on: try CalendarDate(iso: "2026-06-01")) == 14)
        #expect(mia.age(on: try CalendarDate(iso: "2030-05-19")) == 17)
        #expect(mia.age(on: try CalendarDate(iso: "2030-05-20")) == 18)
    }

    // MARK: Input forms

    @Test("separators are ignored", arguments: ["151086 95088", "151086-95088", "15.10.86 950 88", " 15108695088 ", "15\u{00A0}10\u{00A0}86\u{00A0}95088"])
    func separators(input: String) throws {
        let number = try NationalIdentityNumber(input)
        #expect(number.digitsForHashing == "15108695088")
        #expect(number == (try NationalIdentityNumber("15108695088")))
    }

    @Test("refused with a reason", arguments: [
        ("1510869508a", "format"),
        ("15108695O88", "format"),             // letter O, not zero
        ("151086/95088", "format"),
        ("1510869508\u{0668}", "format"),      // Arabic-Indic eight
        ("", "length"),
        ("1510869508", "length"),
        ("151086950888", "length"),
        ("15108695087", "checksum"),           // second check digit off by one
        ("15108695078", "checksum"),           // first check digit off
        ("25108695088", "checksum"),           // a date digit changed
    ])
    func refused(input: String, issue: String) {
        #expect { try NationalIdentityNumber(input) } throws: { error in
            guard let error = error as? ValidationIssue else { return false }
            return error.issue == issue && error.field == "nationalId"
        }
        #expect(!NationalIdentityNumber.isValid(input))
    }

    // MARK: Century from the individual number

    @Test("century", arguments: [
        (0, 0, 1900), (0, 99, 1999), (499, 0, 1900), (499, 99, 1999),      // 000–499 → 1900–1999
        (500, 54, 1854), (749, 99, 1899), (600, 70, 1870),                  // 500–749 & YY ≥ 54 → 1854–1899
        (500, 0, 2000), (999, 39, 2039), (750, 20, 2020), (899, 10, 2010),  // 500–999 & YY < 40 → 2000–2039
        (900, 40, 1940), (999, 99, 1999),                                   // 900–999 & YY ≥ 40 → 1940–1999
    ])
    func century(individual: Int, twoDigitYear: Int, year: Int) throws {
        #expect(NationalIdentityNumber.century(individualNumber: individual, twoDigitYear: twoDigitYear).map { $0 + twoDigitYear } == year)
        // And through the parser, with exactly this individual number.
        let id = try Self.makeOnSomeDay(twoDigitYear: twoDigitYear, individual: individual)
        #expect(try NationalIdentityNumber(id).birthDate.year == year)
    }

    @Test("impossible individual number and year combinations", arguments: [
        (500, 40), (749, 53), (500, 53),       // 500–749 with 40 ≤ YY < 54
        (750, 40), (750, 54), (899, 99), (800, 54),   // 750–899 with YY ≥ 40
    ])
    func impossibleCentury(individual: Int, twoDigitYear: Int) throws {
        #expect(NationalIdentityNumber.century(individualNumber: individual, twoDigitYear: twoDigitYear) == nil)
        let id = try Self.makeOnSomeDay(twoDigitYear: twoDigitYear, individual: individual)
        #expect { try NationalIdentityNumber(id) } throws: { ($0 as? ValidationIssue)?.issue == "date" }
    }

    // MARK: Birth dates

    @Test func leapDays() throws {
        // 29.02.2000 (individual ≥ 500, YY < 40) is real; 29.02.1900 (individual < 500) is not.
        let in2000 = try Self.makeFirstValid(day: 29, month: 2, twoDigitYear: 0, individual: 500, limit: 999)
        #expect(try NationalIdentityNumber(in2000).birthDate == CalendarDate(year: 2000, month: 2, day: 29))
        let in1900 = try Self.makeFirstValid(day: 29, month: 2, twoDigitYear: 0, individual: 0, limit: 499)
        #expect { try NationalIdentityNumber(in1900) } throws: { ($0 as? ValidationIssue)?.issue == "date" }

        let in1996 = try Self.makeFirstValid(day: 29, month: 2, twoDigitYear: 96, individual: 100, limit: 499)
        #expect(try NationalIdentityNumber(in1996).birthDate == CalendarDate(year: 1996, month: 2, day: 29))
        let in1997 = try Self.makeFirstValid(day: 29, month: 2, twoDigitYear: 97, individual: 100, limit: 499)
        #expect { try NationalIdentityNumber(in1997) } throws: { ($0 as? ValidationIssue)?.issue == "date" }
    }

    @Test("impossible dates", arguments: [
        (0, 5), (32, 1), (31, 4), (30, 2), (15, 0), (15, 13), (15, 20), (39, 1),
    ])
    func impossibleDates(day: Int, month: Int) throws {
        let id = try Self.makeFirstValid(day: day, month: month, twoDigitYear: 85, individual: 100, limit: 499)
        #expect { try NationalIdentityNumber(id) } throws: { ($0 as? ValidationIssue)?.issue == "date" }
    }

    @Test func dNumbers() throws {
        let first = try Self.makeFirstValid(day: 41, month: 1, twoDigitYear: 90, individual: 0, limit: 499)
        #expect(try NationalIdentityNumber(first).kind == .dNumber)
        #expect(try NationalIdentityNumber(first).birthDate == CalendarDate(year: 1990, month: 1, day: 1))
        let last = try Self.makeFirstValid(day: 71, month: 12, twoDigitYear: 90, individual: 0, limit: 499)
        #expect(try NationalIdentityNumber(last).birthDate == CalendarDate(year: 1990, month: 12, day: 31))
        // Day 72 would be the 32nd; day 40 the 0th.
        for day in [40, 72] {
            let id = try Self.makeFirstValid(day: day, month: 1, twoDigitYear: 90, individual: 0, limit: 499)
            #expect { try NationalIdentityNumber(id) } throws: { ($0 as? ValidationIssue)?.issue == "date" }
        }
    }

    @Test func hNumbers() throws {
        let id = try Self.makeFirstValid(day: 15, month: 50, twoDigitYear: 86, individual: 0, limit: 499)
        let number = try NationalIdentityNumber(id)
        #expect(number.kind == .hNumber)
        #expect(number.birthDate == (try CalendarDate(year: 1986, month: 10, day: 15)))
        let badMonth = try Self.makeFirstValid(day: 15, month: 53, twoDigitYear: 86, individual: 0, limit: 499)
        #expect { try NationalIdentityNumber(badMonth) } throws: { ($0 as? ValidationIssue)?.issue == "date" }
    }

    @Test("numbers without a birth date", arguments: [
        (81, 1),   // FH-number (first digit 8)
        (95, 5),   // FH-number (first digit 9)
        (45, 45),  // D- and H-number at once
        (15, 85),  // Tenor synthetic test person (month + 80): not accepted
    ])
    func withoutBirthDate(day: Int, month: Int) throws {
        let id = try Self.makeFirstValid(day: day, month: month, twoDigitYear: 86, individual: 0, limit: 499)
        #expect { try NationalIdentityNumber(id) } throws: { ($0 as? ValidationIssue)?.issue == "date" }
    }

    @Test func genderFromTheNinthDigit() throws {
        let female = try Self.makeFirstValid(day: 1, month: 1, twoDigitYear: 80, individual: 100, limit: 499)
        let number = try NationalIdentityNumber(female)
        let ninth = Int(String(Array(female)[8]))!
        #expect(number.gender == (ninth % 2 == 1 ? .male : .female))
        // Over many numbers, both genders appear and always follow the ninth digit.
        var seen: Set<NationalIdentityNumber.Gender> = []
        for individual in 0..<100 {
            guard let id = Self.make(day: 1, month: 1, twoDigitYear: 80, individual: individual) else { continue }
            let gender = try NationalIdentityNumber(id).gender
            #expect(gender == (individual % 2 == 1 ? .male : .female))
            seen.insert(gender)
        }
        #expect(seen == [.male, .female])
    }

    // MARK: Never in logs

    @Test func neverRevealsTheNumber() throws {
        let number = try NationalIdentityNumber("15108695088")
        #expect("\(number)" == "NationalIdentityNumber(redacted)")
        #expect(String(describing: number) == "NationalIdentityNumber(redacted)")
        #expect(String(reflecting: number) == "NationalIdentityNumber(redacted)")
        var dumped = ""
        dump(number, to: &dumped)
        #expect(!dumped.contains("95088") && !dumped.contains("151086"))
        #expect(!"\([number])".contains("95088"))
        #expect(!"\(Optional(number) as Any)".contains("95088"))
    }

    @Test func errorsNeverRevealTheNumber() {
        for input in ["15108695077", "1510869508a", "151086950", "81018695088"] {
            do {
                _ = try NationalIdentityNumber(input)
                Issue.record("expected a failure")
            } catch {
                #expect(!error.message.contains("95"))
                #expect(!error.description.contains("95"))
            }
        }
    }

    // MARK: Properties over many numbers

    /// Draws random dates and individual numbers across all four century ranges, builds numbers with
    /// correct check digits, and checks they parse to that date; then every single-digit change is refused.
    @Test func generatedNumbersParseAndEveryTypoIsCaught() throws {
        var random = SeededGenerator(seed: 0x0F_0D5E_15E6)
        var checked = 0
        while checked < 250 {
            let year = Int.random(in: 1854...2039, using: &random)
            let month = Int.random(in: 1...12, using: &random)
            let day = Int.random(in: 1...CalendarDate.daysInMonth(month, year: year), using: &random)
            let individualRange: ClosedRange<Int> = switch year {
            case 1854...1899: 500...749
            case 1900...1939: 0...499
            case 1940...1999: Bool.random(using: &random) ? 0...499 : 900...999
            default: 500...999
            }
            let isDNumber = Bool.random(using: &random)
            guard let id = Self.make(day: day + (isDNumber ? 40 : 0), month: month, twoDigitYear: year % 100,
                                     individual: Int.random(in: individualRange, using: &random)) else { continue }
            let number = try NationalIdentityNumber(id)
            #expect(number.birthDate == (try CalendarDate(year: year, month: month, day: day)), "\(id)")
            #expect(number.kind == (isDNumber ? .dNumber : .birthNumber))
            #expect(singleDigitMutations(of: id).filter(NationalIdentityNumber.isValid).isEmpty, "a one-digit typo was accepted")
            checked += 1
        }
    }
}
