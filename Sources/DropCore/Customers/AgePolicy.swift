/// Drop serves adults only: a customer must be 18 on the day they sign in.
public enum AgePolicy {
    public static let minimumAge = 18

    public static func isAdult(born: CalendarDate, on today: CalendarDate) -> Bool {
        born.age(on: today) >= minimumAge
    }
}
