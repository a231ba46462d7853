/// One bank holiday: its date and its name.
public struct BankHoliday: Sendable, Hashable, Codable {
    public var date: LocalDate
    public var name: String

    public init(date: LocalDate, name: String) {
        self.date = date
        self.name = name
    }
}

/// A one-off change to the rules (a royal proclamation): a holiday moved,
/// or an extra one. Kept as data (`Config/bank-holiday-changes.toml`) so an
/// administrator can add the next one without a new release.
public struct HolidayChange: Sendable, Hashable {
    /// The date of the holiday being moved; `nil` for an extra holiday.
    public var moves: LocalDate?
    public var date: LocalDate
    public var name: String
    /// The divisions it applies to.
    public var divisions: Set<Division>

    public init(moves: LocalDate? = nil, date: LocalDate, name: String, divisions: Set<Division> = Set(Division.allCases)) {
        self.moves = moves
        self.date = date
        self.name = name
        self.divisions = divisions
    }
}
