import Foundation
import Glibc
import MDRSTestSupport
import MediationDomain
import Testing

@Suite struct JournalLogTests {
    /// When stderr is the journal stream systemd announces in JOURNAL_STREAM,
    /// each line starts with its syslog priority.
    @Test func journalLinesCarryTheirPriority() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config, journal: true)
        #expect(await daemon.waitUntilReady())
        try instance.drop(Data("{ not json".utf8), as: "bad.json")
        #expect(await TestEnvironment.eventually { daemon.output.contains("booking file rejected") })
        #expect(daemon.output.contains("<6>mdrsd ready"))
        #expect(daemon.output.contains("<4>booking file rejected"))
        #expect(daemon.stop() == 0)
    }
}
