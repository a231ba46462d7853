import Foundation
@testable import MDRSService
import MediationDomain
import Store
import Testing

/// The one report staff get after an outage stays readable however long
/// the outage was: every email counted, the first few named.
@Suite struct OutageReportTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(_ n: Int) -> Job {
        Job(id: Int64(n), key: "k\(n)", bookingReference: String(format: "MDRS-2027-%04d", n), bookingVersion: 1,
            message: .bookingConfirmation, recipient: .party(index: 0, role: .parent),
            due: start.addingTimeInterval(-3600 - Double(n)), state: .pending)
    }

    @Test func aLongOutageCountsEveryEmailAndNamesTheFirstThirty() async throws {
        let report = OutageReport(overdue: (1...205).map(Self.job), startedAt: Self.start)
        var alert: StaffAlert?
        for n in 1...200 { alert = await report.record(Int64(n), .sent) ?? alert }
        #expect(alert == nil, "not before the last is settled")
        for n in 201...205 { alert = await report.record(Int64(n), .skipped("its event has passed")) ?? alert }
        let detail = try #require(alert).detail
        #expect(alert?.summary == "205 emails fell due while mdrsd was not running")
        #expect(detail.contains("Sent late (200):"))
        #expect(detail.contains("- and 170 more"))
        #expect(detail.contains("Skipped (5):"))
        #expect(!detail.contains("more\n- booking_confirmation"), "nothing is named after the count of the rest")
        #expect(detail.components(separatedBy: "\n- booking_confirmation").count - 1 == 30 + 5)
        #expect(detail.contains("mdrsctl jobs list --state"))
    }

    @Test func aShortOutageNamesEveryEmailAndNeedsNoPointer() async throws {
        let report = OutageReport(overdue: (1...3).map(Self.job), startedAt: Self.start)
        var alert: StaffAlert?
        for n in 1...3 { alert = await report.record(Int64(n), .sent) ?? alert }
        let detail = try #require(alert).detail
        #expect(detail.contains("Sent late (3):"))
        #expect(detail.contains("MDRS-2027-0003 (parent)"))
        #expect(!detail.contains("more"))
        #expect(!detail.contains("mdrsctl jobs list"))
    }
}
