import Foundation
import MDRSTestSupport
import Testing

/// `mdrsctl` as an administrator runs it: the real binary, a real config.
@Suite struct MDRSCtlTests {
    struct Run { let status: Int32; let stdout: String; let stderr: String }

    func mdrsctl(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = TestEnvironment.executable("mdrsctl")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func checkConfigPassesOrNamesTheKey() throws {
        let good = try InstanceFolder(mail: "transport = \"file\"")
        let ok = try mdrsctl(["--config", good.config.path, "check-config"])
        #expect(ok.status == 0, "\(ok.stderr)")

        let bad = try InstanceFolder(mail: "transport = \"smtp\"\nsmtp_url = \"smtp://127.0.0.1:2525\"\nrequire_tls = \"yes\"")
        let failed = try mdrsctl(["--config", bad.config.path, "check-config"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("mail.require_tls"))
    }

    @Test func importThenListAsJSON() throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let sample = TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json").path
        let imported = try mdrsctl(["--config", instance.config.path, "bookings", "import", sample])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("MDRS-2027-0142: created"))
        #expect(try mdrsctl(["--config", instance.config.path, "bookings", "import", sample]).stdout.contains("unchanged"))

        let list = try mdrsctl(["--config", instance.config.path, "bookings", "list", "--format", "json"])
        #expect(list.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any]
        let bookings = try #require(json?["bookings"] as? [[String: Any]])
        #expect(bookings.count == 1)
        #expect(bookings.first?["reference"] as? String == "MDRS-2027-0142")
        #expect(bookings.first?["meeting_start"] as? String == "2027-03-23T10:00:00Z")

        // The same version with other content is stale; the store keeps the original.
        var changed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sample))) as! [String: Any]
        var meeting = changed["meeting"] as! [String: Any]
        meeting["venue"] = "Town Hall"
        changed["meeting"] = meeting
        let stale = instance.root.appendingPathComponent("stale.json")
        try JSONSerialization.data(withJSONObject: changed).write(to: stale)
        let rejected = try mdrsctl(["--config", instance.config.path, "bookings", "import", stale.path])
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("stale.json: record 1 (MDRS-2027-0142): field 'version'"))
        let shown = try mdrsctl(["--config", instance.config.path, "bookings", "show", "MDRS-2027-0142"])
        #expect(shown.stdout.contains("v1 booked"))
    }
}
