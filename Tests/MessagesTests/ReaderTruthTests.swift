import Foundation
import MediationDomain
import Messages
import Testing

/// Every party message × every role × both kinds of meeting × whether the
/// reader's call is planned and ahead, planned and past, or not planned, in
/// English and Welsh: what each email says must be true for its one reader.
@Suite struct ReaderTruthTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Config/templates").standardizedFileURL.path
    static let service = ServiceIdentity(name: "SEND Mediation Service", fromAddress: "mediation@example.org",
                                         replyTo: "mediation@example.org", phone: "0161 496 0999",
                                         localizedNames: ["cy": "Gwasanaeth Cyfryngu AAA"])
    static let roles: [Role] = [.parent, .youngPerson, .advocate, .localAuthority, .health, .socialCare, .school]

    /// A meeting on Wednesday 22 September 2027 (the longest day and month
    /// names), online and in person, with a party of every role.
    static func booking(_ kind: MeetingKind) -> Booking {
        let local = LocalDateTime(iso: "2027-09-22T14:30")!
        return Booking(
            reference: "MDRS-2027-0142", version: 2, status: .booked, kind: kind,
            grounds: kind == .mediation ? [.planContents] : [.provision], requestedOn: nil, decisionLetterOn: nil,
            healthIssues: false, child: Child(initials: "J.B.", age: 9),
            meeting: Meeting(local: local, timezone: "Europe/London", start: try! local.instant(in: "Europe/London"),
                             durationMinutes: 150, venue: "Community Centre, Room 2", onlineURL: "https://meet.example.org/abc"),
            mediator: "m.okafor",
            parties: roles.map { Party(role: $0, name: "Reader \($0.rawValue)", email: "\($0.rawValue)@example.org",
                                       phone: $0 == .school ? nil : "0161 496 0000") })
    }

    enum CallCase: CaseIterable { case ahead, past, none }

    /// The family's (joint with the advocate) and the local authority's
    /// calls, as the planner makes them; health gets one too.
    static func calls(_ booking: Booking) -> [PrepCall] {
        let start = booking.meeting.start.addingTimeInterval(-2 * 86_400)
        return [[Role.parent, .youngPerson, .advocate], [.localAuthority], [.health]].enumerated().map { offset, with in
            let at = start.addingTimeInterval(Double(offset) * 3600)
            return PrepCall(booking: booking.reference, mediator: booking.mediator, with: with, start: at, end: at.addingTimeInterval(1800))
        }
    }

    static let promisesACall = ["will phone you", "will call you", "joint call", "yn eich ffonio", "alwad ar y cyd"]

    @Test(arguments: MeetingKind.allCases, ["en", "cy"])
    func everyMessageIsTrueForItsReader(kind: MeetingKind, language: String) throws {
        let templates = try LocalizedTemplates(root: Self.root, mainLocale: "en")
        let booking = Self.booking(kind)
        let calls = Self.calls(booking)
        var checked = 0
        for message in MessageKind.partyMessages {
            for (index, party) in booking.parties.enumerated() {
                let own = calls.first { $0.with.contains(party.role) }
                for callCase in CallCase.allCases {
                    let now: Date = switch callCase {
                    case .ahead: calls[0].start.addingTimeInterval(-86_400)
                    case .past, .none: calls[2].end.addingTimeInterval(3600)
                    }
                    let isCallMessage = message.isAboutACall
                    if isCallMessage && own == nil { continue }
                    var localized = booking
                    localized.parties[index].language = language
                    let (catalog, locale) = templates.catalog(for: message, language: language)
                    #expect(locale == language)
                    let context = ConfirmationContext(
                        booking: localized, party: localized.parties[index], service: Self.service, mediator: "Ada Okafor",
                        call: isCallMessage ? own : nil, ownCall: callCase == .none ? nil : own, now: now, language: locale)
                    let rendered = catalog.render(message, context: context)
                    let what = "\(message.rawValue) to \(party.role.rawValue), \(kind.rawValue), call \(callCase), \(language)"
                    let text = rendered.text + rendered.html

                    if !isCallMessage {
                        let mayPromise = callCase == .ahead && own != nil && message != .meetingReminder
                        let promised = Self.promisesACall.filter { text.contains($0) }
                        #expect(mayPromise || promised.isEmpty, "\(what) promises a call: \(promised)")
                        if message == .bookingConfirmation && mayPromise {
                            #expect(!promised.isEmpty, "\(what) does not tell of the planned call")
                        }
                    }
                    if party.role == .advocate {
                        #expect(!text.contains("bring an advocate") && !text.contains("you and your advocate")
                                && !text.contains("ag eiriolwr") && !text.contains("a'ch eiriolwr"), "\(what) treats the advocate as the family")
                    }
                    if message == .bookingConfirmation {
                        Self.checkConfirmation(text, role: party.role, kind: kind, language: language, what: what)
                    }
                    if message == .meetingReminder {
                        #expect(rendered.text.count < 1200, "\(what) is not short: \(rendered.text.count) characters")
                    }
                    Self.checkStyle(rendered, reference: booking.reference, language: language, what: what)
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    static func checkConfirmation(_ text: String, role: Role, kind: MeetingKind, language: String, what: String) {
        let welsh = language == "cy"
        #expect(text.contains("Ada Okafor"), "\(what) does not name the mediator")
        #expect(text.contains(welsh ? "yr awdurdod lleol" : "the local authority") || role == .localAuthority, "\(what) does not say who will be there")
        #expect(text.contains("https://meet.example.org/abc") && text.contains("Community Centre, Room 2"), "\(what) lacks where")
        #expect(text.contains(welsh ? "Dydd Mercher 22 Medi 2027, 2:30yp i 5yp" : "Wednesday 22 September 2027, 2:30pm to 5pm"), "\(what) lacks when")
        let certificate = text.contains(welsh ? "tystysgrif" : "certificate")
        #expect(certificate == (kind == .mediation), "\(what): certificate mentioned \(certificate)")
        switch role {
        case .localAuthority where kind == .mediation:
            #expect(text.contains(welsh ? "Rhaid i'r awdurdod lleol gymryd rhan" : "The local authority must take part"), "\(what)")
        case .localAuthority, .health, .socialCare, .school:
            if kind == .disagreementResolution { #expect(text.contains(welsh ? "wirfoddol" : "voluntary"), "\(what)") }
        case .parent, .carer, .youngPerson:
            #expect(text.contains(welsh ? "eiriolwr neu gefnogwr" : "advocate or a supporter"), "\(what)")
            #expect(text.contains(kind == .mediation ? (welsh ? "Eich dewis chi" : "is your choice") : (welsh ? "wirfoddol" : "voluntary")), "\(what)")
        case .advocate:
            #expect(text.contains(welsh ? "gefnogi'r teulu" : "support the family"), "\(what)")
        }
    }

    static func checkStyle(_ rendered: RenderedMessage, reference: String, language: String, what: String) {
        #expect(rendered.subject.count <= 70, "\(what): subject of \(rendered.subject.count) characters: \(rendered.subject)")
        #expect(rendered.subject.hasSuffix("(\(reference))") && !rendered.subject.contains("::"), "\(what): \(rendered.subject)")
        #expect(!rendered.subject.contains("J.B."))
        let text = rendered.text + rendered.html
        #expect(!text.contains("UK time") && !text.contains("{{") && !text.contains("nil") && !text.contains("call(s)"), "\(what)")
        #expect(rendered.html.contains("name=\"viewport\""), "\(what) has no viewport")
        #expect(!rendered.html.replacingOccurrences(of: "\n", with: "").contains("<ul></ul>"), "\(what) has an empty list")
        #expect(!rendered.html.contains("href=\"tel:0") && !rendered.html.contains("tel:+44 "), "\(what) has a tel: link not in international form")
        if language == "cy" {
            // "ar" softens the day: "ar ddydd Mawrth", never "ar Dydd Mawrth".
            #expect(!text.contains("ar Dydd") && !text.contains("ar <strong>Dydd"), "\(what): an unmutated day after 'ar'")
            for english in ["Dear ", "Case reference", "meeting", "Your mediator", "Reminder"] {
                #expect(!text.contains(english), "\(what) has English: \(english)")
            }
        }
    }

    @Test func aChangeSaysWhatChangedFromWhatTheReaderWasTold() throws {
        let templates = try LocalizedTemplates(root: Self.root, mainLocale: "en")
        let now = Self.booking(.mediation)
        var was = now
        was.meeting.start = now.meeting.start.addingTimeInterval(-86_400 - 4.5 * 3600)
        was.meeting.durationMinutes = 120
        was.meeting.onlineURL = nil
        for (language, expected) in [("en", ["Day: Wednesday 22 September 2027 (was Tuesday 21 September 2027)",
                                             "Time: 2:30pm to 5pm (was 10am to 12pm)", "Length: 2 hours 30 minutes (was 2 hours)",
                                             "In person or online: in person, or online (was in person)"]),
                                     ("cy", ["Diwrnod: Dydd Mercher 22 Medi 2027 (roedd yn Dydd Mawrth 21 Medi 2027)"])] {
            let context = ConfirmationContext(booking: now, party: now.parties[0], service: Self.service, previous: was,
                                              now: now.meeting.start.addingTimeInterval(-86_400 * 10), language: language)
            let rendered = templates.catalog(for: .bookingChanged, language: language).catalog.render(.bookingChanged, context: context)
            for line in expected { #expect(rendered.text.contains(line), "\(language): \(rendered.text)") }
            #expect(rendered.subject.contains(language == "en" ? "now Wednesday 22 September" : "nawr Dydd Mercher 22 Medi"))
        }
    }

    @Test func telLinksAreInInternationalForm() throws {
        let templates = try LocalizedTemplates(root: Self.root, mainLocale: "en")
        let booking = Self.booking(.mediation)
        let context = ConfirmationContext(booking: booking, party: booking.parties[0], service: Self.service)
        let html = templates.main.render(.bookingConfirmation, context: context).html
        #expect(html.contains("href=\"tel:+441614960999\""))
    }
}

/// What a calendar shows is true for its reader too: the online link where
/// a calendar offers a button (URL) and in the notes, the number that will
/// be called, the service as organiser, the reader's language.
@Suite struct InviteContentTests {
    @Test func theMeetingInviteCarriesTheLinkAndTheCallInviteTheNumber() {
        let booking = ReaderTruthTests.booking(.mediation)
        let service = ReaderTruthTests.service
        let meeting = CalendarInvite.meeting(booking, for: booking.parties[0], address: "parent@example.org", service: service,
                                             method: .request, stamp: booking.meeting.start).text
        let unfolded = meeting.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("\r\nURL:https://meet.example.org/abc\r\n"))
        #expect(unfolded.contains("DESCRIPTION:Case reference MDRS-2027-0142. Join online: https://meet.example.org/abc"))
        #expect(unfolded.contains("LOCATION:Community Centre\\, Room 2 / https://meet.example.org/abc"))
        #expect(unfolded.contains("ORGANIZER;CN=\"SEND Mediation Service\":mailto:mediation@example.org"))

        let calls = ReaderTruthTests.calls(booking)
        let mediator = Mediator(id: "m.okafor", name: "Ada Okafor")
        let call = CalendarInvite.call(calls[0], of: booking, for: booking.parties[0], address: "parent@example.org",
                                       mediator: mediator, service: service, stamp: booking.meeting.start).text
            .replacingOccurrences(of: "\r\n ", with: "")
        #expect(call.contains("Ada Okafor\\, your mediator\\, will phone you on 0161 496 0000"))
        #expect(call.contains("LOCATION:Phone: 0161 496 0000"))
        let school = booking.parties.firstIndex { $0.role == .school }!
        let noNumber = CalendarInvite.call(calls[0], of: booking, for: booking.parties[school], address: "school@example.org",
                                           mediator: mediator, service: service, stamp: booking.meeting.start).text
            .replacingOccurrences(of: "\r\n ", with: "")
        #expect(noNumber.contains("We do not have a phone number for you"))
        let welsh = CalendarInvite.meeting(booking, for: booking.parties[0], address: "parent@example.org", service: service,
                                           method: .request, stamp: booking.meeting.start, language: "cy").text
            .replacingOccurrences(of: "\r\n ", with: "")
        #expect(welsh.contains("SUMMARY:Cyfarfod cyfryngu (MDRS-2027-0142)") && welsh.contains("Gwasanaeth Cyfryngu AAA"))
    }
}

@Suite struct AgendaNumbersTests {
    @Test func anAgendaCanLeaveTheNumbersOut() throws {
        let templates = try LocalizedTemplates(root: ReaderTruthTests.root, mainLocale: "en")
        let booking = ReaderTruthTests.booking(.mediation)
        let calls = ReaderTruthTests.calls(booking).map { (call: $0, booking: booking) }
        let mediator = Mediator(id: "m.okafor", name: "Ada Okafor")
        let day = LocalDate(calls[0].call.start, zoneID: "Europe/London")
        for numbers in [true, false] {
            let context = AgendaContext(mediator: mediator, day: day, zoneID: "Europe/London", calls: calls, meetings: [],
                                        service: ReaderTruthTests.service, numbers: numbers)
            let rendered = templates.main.render(.mediatorAgenda, context: context)
            #expect(rendered.text.contains("0161 496 0000") == numbers && rendered.html.contains("tel:+441614960000") == numbers)
            #expect(rendered.text.contains("Reader parent") && rendered.subject.contains("3 calls, no meetings"))
        }
    }
}

@Suite struct TelephoneLinkTests {
    @Test(arguments: [("0161 496 0999", "tel:+441614960999"), ("+44 (0)161 496 0999", "tel:+441614960999"),
                      ("+44 161 496 0999", "tel:+441614960999"), ("0044 161 496 0999", "tel:+441614960999"), ("999", "tel:999")])
    func phoneNumbersBecomeInternationalTelLinks(_ phone: String, _ link: String) {
        let service = ServiceIdentity(name: "S", fromAddress: "a@example.org", replyTo: "a@example.org", phone: phone)
        let booking = ReaderTruthTests.booking(.mediation)
        #expect(ConfirmationContext(booking: booking, party: booking.parties[0], service: service).service.phoneLink == link)
    }
}
