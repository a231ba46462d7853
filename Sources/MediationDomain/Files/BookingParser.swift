public import Foundation

/// Turns a booking file into validated bookings, or every error in it.
///
/// A file is accepted or rejected whole, so a half-read file never changes
/// what is stored.
public enum BookingParser {
    /// The zone a booking's meeting is in when it names none.
    public static let defaultTimezone = "Europe/London"

    /// Parses JSON: one booking object or an array of them.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: the file's name, used in every error.
    ///   - mediators: the mediator ids the config knows; a booking naming
    ///     another is an error. `nil` skips the check.
    public static func parseJSON(_ data: Data, file: String, mediators: Set<String>? = nil) throws(BookingFileError) -> [Booking] {
        // Each record is validated as it is read, so the file never becomes
        // one tree in memory; a syntax error anywhere still rejects it whole.
        var collector = RecordCollector(file: file, mediators: mediators)
        var count = 0
        do {
            try StrictJSON.forEachRecord(data, maxDepth: BookingLimits.jsonDepth) { index, record in
                collector.add(record, number: index + 1)
                count += 1
            }
        } catch {
            throw BookingFileError([jsonError(error, file: file)])
        }
        return try collector.finish(records: count)
    }

    /// Parses JSON and hands each valid booking to `body` as soon as it is
    /// read, while the file has no error; after the first error it goes on
    /// reading only to report every error. A store can write bookings while
    /// the rest of the file is still being read, and roll back if it throws.
    /// - Parameter body: takes a booking and its record number; returns
    ///   `false` to stop (the taker gave up).
    /// - Throws: every error in the file, once it is read to the end.
    public static func forEachBooking(inJSON data: Data, file: String, mediators: Set<String>?,
                                      _ body: (Booking, Int) -> Bool) throws(BookingFileError) {
        var collector = RecordCollector(file: file, mediators: mediators)
        var count = 0, handed = 0, taking = true
        do {
            try StrictJSON.forEachRecord(data, maxDepth: BookingLimits.jsonDepth) { index, record in
                collector.add(record, number: index + 1)
                count += 1
                // Hand on while the file is clean; keep only what is not yet handed.
                if collector.errors.isEmpty && taking {
                    while handed < collector.bookings.count && taking {
                        taking = body(collector.bookings[handed], collector.records[handed])
                        handed += 1
                    }
                    collector.bookings.removeAll(keepingCapacity: true)
                    collector.records.removeAll(keepingCapacity: true)
                    handed = 0
                }
            }
        } catch {
            throw BookingFileError([jsonError(error, file: file)])
        }
        _ = try collector.finish(records: count)
    }

    /// A JSON syntax error as a booking error: the record is the position in
    /// a top-level list, the field the path below it.
    private static func jsonError(_ failure: StrictJSON.Failure, file: String) -> BookingError {
        var path = failure.path[...]
        var record = 1
        if case .index(let index)? = path.first {
            record = index + 1
            path = path.dropFirst()
        }
        var field = ""
        for component in path {
            switch component {
            case .key(let key): field += field.isEmpty ? key : ".\(key)"
            case .index(let index): field += "[\(index)]"
            }
        }
        // A key is quoted by the same rules as a value: it may be anything.
        if case .key(let key)? = path.last, key.utf8.count > 64 || key.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            field = String(field.dropLast(key.count)) + QuotedValue.of(key, limit: 30)
        }
        return BookingError(file: file, record: record, reference: nil, field: field.isEmpty ? "(file)" : field,
                            message: "is not valid JSON: \(failure)")
    }

    /// Validates decoded records (JSON, or CSV rows in the same shape): all
    /// of them, or every error among them, including a reference that
    /// appears twice in one file.
    public static func validateRecords(_ records: [JSONValue], file: String, mediators: Set<String>? = nil)
    throws(BookingFileError) -> [Booking] {
        var collector = RecordCollector(file: file, mediators: mediators)
        for (offset, record) in records.enumerated() { collector.add(record, number: offset + 1) }
        return try collector.finish(records: records.count)
    }

    /// The bookings and errors of a file's records so far.
    private struct RecordCollector {
        let file: String
        let mediators: Set<String>?
        var bookings: [Booking] = []
        /// The record number of each of `bookings`.
        var records: [Int] = []
        var errors: [BookingError] = []
        var seen: [String: Int] = [:]

        init(file: String, mediators: Set<String>?) {
            self.file = file
            self.mediators = mediators
        }

        mutating func add(_ record: JSONValue, number: Int) {
            guard case .object(let object) = record else {
                errors.append(BookingError(file: file, record: number, reference: nil, field: "(record)", message: "must be an object"))
                return
            }
            switch validate(object, file: file, record: number, mediators: mediators) {
            case .success(let booking):
                if let first = seen[booking.reference] {
                    errors.append(BookingError(file: file, record: number, reference: booking.reference, field: "reference",
                                               message: "appears twice in this file (also record \(first))"))
                }
                seen[booking.reference] = number
                // Once the file has an error its bookings are of no use: keep none.
                if errors.isEmpty {
                    bookings.append(booking)
                    records.append(number)
                }
            case .failure(let failure):
                errors += failure.errors
            }
        }

        /// Every booking, or every error among them.
        func finish(records: Int) throws(BookingFileError) -> [Booking] {
            if records == 0 {
                throw BookingFileError([BookingError(file: file, record: 1, reference: nil, field: "(file)", message: "holds no bookings")])
            }
            if !errors.isEmpty { throw BookingFileError(errors) }
            return bookings
        }
    }

    /// Whether `text` is a usable case reference: it goes into subjects,
    /// Message-IDs and file names, so letters, digits and `-_./` only,
    /// starting with a letter or digit, without `..` or `//`.
    public static func isSafeReference(_ text: String) -> Bool {
        func isLetterOrDigit(_ c: Unicode.Scalar) -> Bool { ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) }
        guard let first = text.unicodeScalars.first, isLetterOrDigit(first),
              text.unicodeScalars.count <= BookingLimits.referenceLength else { return false }
        return text.unicodeScalars.allSatisfy { isLetterOrDigit($0) || "-_./".unicodeScalars.contains($0) }
            && !text.contains("..") && !text.contains("//")
    }

    /// Validates one decoded JSON record against the booking rules.
    /// - Parameter mediators: the configured mediator ids; `nil` skips the check.
    public static func validate(_ object: [String: JSONValue], file: String, record: Int,
                                mediators: Set<String>? = nil) -> Result<Booking, BookingFileError> {
        var r = FieldReader(file: file, record: record)
        var reference = r.string(object, "reference", at: "", maxLength: BookingLimits.referenceLength)
        if let text = reference {
            if isSafeReference(text) {
                r.reference = text
            } else {
                r.fail("reference", "\(QuotedValue.of(text)) must be up to \(BookingLimits.referenceLength) letters, digits, "
                       + "'-', '_', '.' or '/', starting with a letter or digit")
                reference = nil
            }
        }
        let version = r.int(object, "version", at: "")
        if let version, version < 1 { r.fail("version", "must be 1 or more") }
        let status = r.enumeration(object, "status", at: "", as: Booking.Status.self, default: .booked)
        let kind = r.enumeration(object, "kind", at: "", as: MeetingKind.self)
        var grounds: [Ground] = []
        if let items = r.array(object, "grounds", at: "", required: true, maxCount: BookingLimits.grounds) {
            if items.isEmpty { r.fail("grounds", "must name at least one ground") }
            for (i, item) in items.enumerated() {
                guard case .string(let text) = item, text.utf8.count <= BookingLimits.textLength, let ground = Ground(rawValue: text) else {
                    r.fail("grounds[\(i)]", "is not one of \(Ground.allCases.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
                if let kind, !kind.grounds.contains(ground) {
                    r.fail("grounds[\(i)]", "'\(text)' is not a ground for \(kind.rawValue)")
                }
                grounds.append(ground)
            }
        }
        let requestedOn = r.date(object, "requested_on", at: "", required: false)
        let decisionLetterOn = r.date(object, "decision_letter_on", at: "", required: false)
        let agreementOn = r.date(object, "agreement_on", at: "", required: false)
        let healthIssues = r.bool(object, "health_issues", at: "", default: false)
        let consent = r.bool(object, "consent_recorded", at: "", default: false)
        let child = parseChild(object, &r)
        let meeting = parseMeeting(object, &r)
        let mediator = r.string(object, "mediator", at: "")
        if let mediator, let mediators, !mediators.contains(mediator) {
            let known = mediators.sorted()
            let listed = known.prefix(20).joined(separator: ", ") + (known.count > 20 ? " and \(known.count - 20) more" : "")
            r.fail("mediator", "\(QuotedValue.of(mediator)) is not a mediator in the config; "
                   + (known.isEmpty ? "no [[mediators]] are configured" : "the configured ids are: \(listed)"))
        }
        let parties = parseParties(object, &r)

        if let parties, let kind {
            checkParties(parties, kind: kind, child: child, consent: consent, healthIssues: healthIssues, &r)
        }
        guard r.errors.isEmpty, let reference, let version, let status, let kind, let child, let meeting,
              let mediator, let parties else {
            return .failure(BookingFileError(r.errors))
        }
        return .success(Booking(
            reference: reference, version: version, status: status, kind: kind, grounds: grounds,
            requestedOn: requestedOn, decisionLetterOn: decisionLetterOn, agreementOn: agreementOn,
            healthIssues: healthIssues, consentRecorded: consent, child: child, meeting: meeting,
            mediator: mediator, parties: parties))
    }

    private static func parseChild(_ object: [String: JSONValue], _ r: inout FieldReader) -> Child? {
        guard let child = r.object(object, "child", at: "") else { return nil }
        let initials = r.string(child, "initials", at: "child")
        if let initials, initials.count > 8 || !initials.allSatisfy({ $0.isLetter || $0 == "." || $0 == " " }) {
            r.fail("child.initials", "must be initials only (letters and dots, at most 8 characters)")
        }
        let age = r.int(child, "age", at: "child")
        if let age, !(0...25).contains(age) { r.fail("child.age", "must be from 0 to 25") }
        guard let initials, let age else { return nil }
        return Child(initials: initials, age: age)
    }

    private static func parseMeeting(_ object: [String: JSONValue], _ r: inout FieldReader) -> Meeting? {
        guard let meeting = r.object(object, "meeting", at: "") else { return nil }
        let zone = r.string(meeting, "timezone", at: "meeting", required: false) ?? defaultTimezone
        var local: LocalDateTime?
        var instant: Date?
        if let text = r.string(meeting, "start", at: "meeting") {
            local = LocalDateTime(iso: text)
            if local == nil {
                r.fail("meeting.start", "\(QuotedValue.of(text)) is not a real local date and time in the form YYYY-MM-DDTHH:MM")
            }
        }
        if Zones.zone(zone) == nil {
            r.fail("meeting.timezone", "\(QuotedValue.of(zone)) is not a known IANA time zone")
        } else if let local {
            do {
                instant = try local.instant(in: zone)
            } catch {
                r.fail("meeting.start", "\(local) does not exist in \(zone) (the clocks skip it)")
            }
        }
        var duration = 120
        if meeting["duration_minutes"] != nil, let minutes = r.int(meeting, "duration_minutes", at: "meeting") {
            duration = minutes
            if !(15...600).contains(minutes) { r.fail("meeting.duration_minutes", "must be from 15 to 600") }
        }
        let venue = r.string(meeting, "venue", at: "meeting", required: false, maxLength: BookingLimits.venueLength)
        let url = r.string(meeting, "online_url", at: "meeting", required: false, maxLength: BookingLimits.urlLength)
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.contains(where: \.isWhitespace) {
            r.fail("meeting.online_url", "must be an http(s) link")
        }
        // Only when neither is given: one given but invalid has its own error.
        let given = { (key: String) -> Bool in
            switch meeting[key] {
            case nil, .null?: false
            case .string(let text)?: !text.trimmingWhitespace.isEmpty
            default: true
            }
        }
        if venue == nil && url == nil && !given("venue") && !given("online_url") {
            r.fail("meeting.venue", "a venue or an online_url is required")
        }
        guard let local, let instant else { return nil }
        return Meeting(local: local, timezone: zone, start: instant, durationMinutes: duration, venue: venue, onlineURL: url)
    }

    private static func parseParties(_ object: [String: JSONValue], _ r: inout FieldReader) -> [Party]? {
        guard let items = r.array(object, "parties", at: "", required: true, maxCount: BookingLimits.parties) else { return nil }
        var parties: [Party] = []
        var valid = true
        for (i, item) in items.enumerated() {
            let path = "parties[\(i)]"
            guard case .object(let party) = item else {
                r.fail(path, "must be an object")
                valid = false
                continue
            }
            let before = r.errors.count
            let role = r.enumeration(party, "role", at: path, as: Role.self)
            let name = r.string(party, "name", at: path, maxLength: BookingLimits.nameLength)
            let email = r.string(party, "email", at: path, required: false, maxLength: EmailAddress.maximumLength)
            if let email, !EmailAddress.isValid(email) { r.fail("\(path).email", "is not a valid email address") }
            let phone = r.string(party, "phone", at: path, required: false, maxLength: BookingLimits.phoneLength)
            if let phone, PhoneNumber(phone) == nil {
                r.fail("\(path).phone", "may hold only digits, spaces and + ( ) -, with 7 to 15 digits")
            }
            let language = r.string(party, "language", at: path, required: false)
            if let language, !["en", "cy"].contains(language) { r.fail("\(path).language", "must be 'en' or 'cy'") }
            var unavailable: [Unavailability] = []
            for (j, slot) in (r.array(party, "unavailable", at: path, required: false,
                                      maxCount: BookingLimits.unavailablePerParty) ?? []).enumerated() {
                let slotPath = "\(path).unavailable[\(j)]"
                guard case .object(let slot) = slot else { r.fail(slotPath, "must be an object"); continue }
                let weekday = r.enumeration(slot, "weekday", at: slotPath, as: Weekday.self)
                let from = r.string(slot, "from", at: slotPath).flatMap { text -> LocalTime? in
                    LocalTime(iso: text) ?? { r.fail("\(slotPath).from", "\(QuotedValue.of(text)) is not a time HH:MM"); return nil }()
                }
                let to = r.string(slot, "to", at: slotPath).flatMap { text -> LocalTime? in
                    LocalTime(iso: text) ?? { r.fail("\(slotPath).to", "\(QuotedValue.of(text)) is not a time HH:MM"); return nil }()
                }
                if let from, let to, !(from < to) { r.fail("\(slotPath).to", "must be after 'from'") }
                if let weekday, let from, let to { unavailable.append(Unavailability(weekday: weekday, from: from, to: to)) }
            }
            guard r.errors.count == before, let role, let name else { valid = false; continue }
            parties.append(Party(role: role, name: name, email: email, phone: phone, language: language, unavailable: unavailable))
        }
        return valid ? parties : nil
    }

    private static func checkParties(_ parties: [Party], kind: MeetingKind, child: Child?, consent: Bool,
                                     healthIssues: Bool, _ r: inout FieldReader) {
        if !parties.contains(where: \.role.isFamily) {
            r.fail("parties", "must include a family party (parent, carer or young_person)")
        }
        if kind == .mediation && !parties.contains(where: { $0.role == .localAuthority }) {
            r.fail("parties", "must include the local_authority for mediation")
        }
        let advocates = parties.indices.filter { parties[$0].role == .advocate }
        if advocates.count > 1 && !consent {
            r.fail("parties[\(advocates[1])].role", "more than one advocate needs consent_recorded: true")
        }
        if let age = child?.age, let i = parties.firstIndex(where: { $0.role == .youngPerson }), !(16...25).contains(age) {
            r.fail("parties[\(i)].role", "a young_person acting for themselves must be aged 16 to 25 (child.age is \(age))")
        }
    }
}
