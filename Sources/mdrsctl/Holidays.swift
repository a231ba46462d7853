public import ArgumentParser
import Foundation
import MDRSService
import MediationDomain

struct Holidays: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a year's bank holidays, as mdrsd counts working days.",
        discussion: "Computed from the rules plus the one-off changes in the config's bank-holiday-changes.toml.")

    @OptionGroup var options: ConfigOption
    @Option(help: "The year.") var year: Int
    @Option(help: "england-and-wales, scotland or northern-ireland (default: the config's calendar.division).")
    var division: Division?
    @Option(help: "table or json") var format: OutputFormat = .table

    func validate() throws {
        guard (1900...2200).contains(year) else { throw ValidationError("--year must be from 1900 to 2200") }
    }

    func run() throws {
        let config = try options.loadConfig()
        let calendar = WorkingDayCalendar(division: division ?? config.division, changes: config.holidayChanges)
        let holidays = calendar.holidays(in: year)
        switch format {
        case .json:
            try printJSON(["holidays": holidays.map { ["date": $0.date.description, "name": $0.name] }])
        case .table:
            for holiday in holidays { print("\(holiday.date)  \(holiday.date.weekday.rawValue.capitalized)  \(holiday.name)") }
        }
    }
}

extension Division: ExpressibleByArgument {}
