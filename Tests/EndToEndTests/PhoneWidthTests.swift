import Foundation
import MDRSTestSupport
import Testing

/// Every email, as a reader on a phone sees it: `mdrsctl gallery` writes
/// each message to each role in English and Welsh from the shipped
/// templates, and headless Chromium lays out every HTML part 360 CSS pixels
/// wide. None may scroll sideways (its page wider than the screen).
@Suite struct PhoneWidthTests {
    static var chromium: String {
        ProcessInfo.processInfo.environment["MDRSD_TEST_CHROMIUM"] ?? "/usr/bin/chromium"
    }

    @Test func noEmailScrollsSidewaysOnAPhone() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.chromium),
                     "Chromium is needed at \(Self.chromium) (make test installs Debian's chromium)")
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let folder = instance.root.appendingPathComponent("gallery")
        let gallery = try await CommandRun.runDetached(TestEnvironment.executable("mdrsctl"), ["--config", instance.config.path, "gallery", folder.path])
        #expect(gallery.status == 0, "\(gallery.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        // 7 party messages to each role that gets them, both kinds, both
        // languages, and the mediator's and staff's messages.
        #expect(files.count > 150, "\(files.count) emails")
        #expect(files.contains("booking_confirmation.mediation.advocate.cy.eml") && files.contains("admin_alert.staff.eml"))

        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/phone_width.py").path
        let measured = try await CommandRun.runDetached(URL(fileURLWithPath: TestEnvironment.python), [script, Self.chromium, folder.path, "--width", "360"])
        #expect(measured.status == 0, "\(measured.stdout)\(measured.stderr)")
        let summary = try #require(measured.stdout.split(separator: "\n").last.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }, "\(measured.stdout)\(measured.stderr)")
        #expect(summary["measured"] as? Int == files.count)
        #expect((summary["overflowing"] as? [String])?.isEmpty == true, "\(summary)")
        print("measured: \(files.count) emails at 360 px, widest page \(summary["widest_px"] ?? "?") px")
    }
}
