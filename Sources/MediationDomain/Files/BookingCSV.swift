import CSV
public import Foundation

/// Booking files as CSV: a header row, then one booking per row (columns in
/// the README). Each row becomes the same record the JSON contract
/// describes and goes through the same validation; errors name the CSV
/// column rather than the JSON path.
public enum BookingCSV {
    /// Parses a CSV booking file.
    /// - Parameters:
    ///   - data: the file's bytes (UTF-8).
    ///   - file: the file's name, used in every error.
    /// - Parameter mediators: the configured mediator ids; `nil` skips the check.
    public static func parse(_ data: Data, file: String, mediators: Set<String>? = nil) throws(BookingFileError) -> [Booking] {
        func fail(_ record: Int, _ field: String, _ message: String) -> BookingFileError {
            BookingFileError([BookingError(file: file, record: record, reference: nil, field: field, message: message)])
        }
        guard let text = String(data: data, encoding: .utf8) else { throw fail(1, "(file)", "is not UTF-8 text") }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            throw fail(1, "(file)", "is not valid CSV: \(error)")
        }
        guard let header = reader.headerRow?.map({ $0.lowercased() }), !header.isEmpty else { throw fail(1, "(file)", "has no header row") }
        var seen: Set<String> = []
        for (position, column) in header.enumerated() {
            guard !column.isEmpty else { throw fail(1, "(header column \(position + 1))", "has no name; every column needs one") }
            guard column.utf8.count <= 64, Self.isKnown(column) else {
                let plain = column.utf8.count <= 64 && column.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                throw fail(1, plain ? column : QuotedValue.of(column, limit: 30), "is not a known column (see the README's CSV columns)")
            }
            guard seen.insert(column).inserted else { throw fail(1, column, "appears twice in the header row") }
        }
        var records: [[String: JSONValue]] = []
        while let row = reader.next() {
            if row.allSatisfy(\.isEmpty) { continue }
            guard row.count == header.count else {
                throw fail(records.count + 1, "(row)", "has \(row.count) fields; the header has \(header.count)")
            }
            records.append(record(Dictionary(uniqueKeysWithValues: zip(header, row))))
        }
        do {
            return try BookingParser.validateRecords(records.map(JSONValue.object), file: file, mediators: mediators)
        } catch {
            throw BookingFileError(error.errors.map { var e = $0; e.field = column(for: e.field); return e })
        }
    }

    static let bookingColumns = ["reference", "version", "status", "kind", "grounds", "requested_on", "decision_letter_on",
                                 "agreement_on", "health_issues", "consent_recorded", "child_initials", "child_age",
                                 "meeting_start", "timezone", "duration_minutes", "venue", "online_url", "mediator"]
    static let partyFields = ["role", "name", "email", "phone", "language", "unavailable"]

    static func isKnown(_ column: String) -> Bool {
        if bookingColumns.contains(column) { return true }
        guard let (_, field) = partyColumn(column) else { return false }
        return partyFields.contains(field)
    }

    /// `party2_email` → (1, "email").
    static func partyColumn(_ column: String) -> (index: Int, field: String)? {
        guard column.hasPrefix("party"), let underscore = column.firstIndex(of: "_"),
              let n = Int(column[column.index(column.startIndex, offsetBy: 5)..<underscore]), n >= 1 else { return nil }
        return (n - 1, String(column[column.index(after: underscore)...]))
    }

    /// Builds the JSON-shaped record; empty cells are absent.
    static func record(_ row: [String: String]) -> [String: JSONValue] {
        func text(_ key: String) -> JSONValue? { row[key].flatMap { $0.isEmpty ? nil : .string($0) } }
        func number(_ key: String) -> JSONValue? {
            guard let value = row[key], !value.isEmpty else { return nil }
            return Double(value).map(JSONValue.number) ?? .string(value)
        }
        func flag(_ key: String) -> JSONValue? {
            guard let value = row[key]?.lowercased(), !value.isEmpty else { return nil }
            switch value {
            case "true", "yes", "1": return .bool(true)
            case "false", "no", "0": return .bool(false)
            default: return .string(value)
            }
        }
        var record: [String: JSONValue] = [:]
        for key in ["reference", "status", "kind", "requested_on", "decision_letter_on", "agreement_on", "mediator"] {
            record[key] = text(key)
        }
        record["version"] = number("version")
        record["health_issues"] = flag("health_issues")
        record["consent_recorded"] = flag("consent_recorded")
        if let grounds = row["grounds"], !grounds.isEmpty {
            record["grounds"] = .array(grounds.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) })
        }
        var child: [String: JSONValue] = [:]
        child["initials"] = text("child_initials")
        child["age"] = number("child_age")
        record["child"] = .object(child)
        var meeting: [String: JSONValue] = [:]
        meeting["start"] = text("meeting_start")
        meeting["timezone"] = text("timezone")
        meeting["duration_minutes"] = number("duration_minutes")
        meeting["venue"] = text("venue")
        meeting["online_url"] = text("online_url")
        record["meeting"] = .object(meeting)
        let indices = Set(row.keys.compactMap { partyColumn($0)?.index }).sorted()
        record["parties"] = .array(indices.compactMap { i -> JSONValue? in
            var party: [String: JSONValue] = [:]
            for field in ["role", "name", "email", "phone", "language"] { party[field] = text("party\(i + 1)_\(field)") }
            if party.isEmpty { return nil } // an unused party's columns
            if let slots = row["party\(i + 1)_unavailable"], !slots.isEmpty {
                party["unavailable"] = .array(slots.split(separator: ";").map { unavailability(String($0)) })
            }
            return .object(party)
        })
        return record
    }

    /// `mon 08:30-09:15` → `{"weekday":"mon","from":"08:30","to":"09:15"}`.
    static func unavailability(_ text: String) -> JSONValue {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
        let times = parts.count == 2 ? parts[1].split(separator: "-") : []
        return .object([
            "weekday": .string(parts.first.map(String.init) ?? ""),
            "from": .string(times.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""),
            "to": .string(times.count > 1 ? times[1].trimmingCharacters(in: .whitespaces) : ""),
        ])
    }

    /// A JSON path in a validation error, as the CSV column it came from.
    static func column(for path: String) -> String {
        let simple = ["child.initials": "child_initials", "child.age": "child_age", "meeting.start": "meeting_start",
                      "meeting.timezone": "timezone", "meeting.duration_minutes": "duration_minutes",
                      "meeting.venue": "venue", "meeting.online_url": "online_url"]
        if let column = simple[path] { return column }
        if path.hasPrefix("grounds[") { return "grounds" }
        if path.hasPrefix("parties["), let close = path.firstIndex(of: "]"),
           let index = Int(path[path.index(path.startIndex, offsetBy: 8)..<close]) {
            let rest = path[path.index(after: close)...]
            let field = rest.dropFirst().split(separator: ".").first.map { String($0.split(separator: "[")[0]) }
            return field.map { "party\(index + 1)_\($0)" } ?? "party\(index + 1)_role"
        }
        return path
    }
}
