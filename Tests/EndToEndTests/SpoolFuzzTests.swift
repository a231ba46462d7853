import Foundation
import MDRSService
import MDRSTestSupport
import MediationDomain
import Store
import Testing

/// A thousand seeded mutations of valid bookings through the real daemon's
/// spool, with a valid booking after every ten: nothing crashes or hangs,
/// every file the validator refuses is rejected naming a field, every good
/// one is stored, every control booking emailed, and memory stays bounded.
@Suite(.serialized) struct SpoolFuzzTests {
    static let seed: UInt64 = 0x6D64_7273_6431_32

    @Test func aThousandHostileFilesThroughTheRealSpool() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        var mutator = BookingMutator(seed: Self.seed)
        var expected: [String: Bool] = [:] // file name -> accepted
        var controls: [String] = []
        var peakRSS = 0
        let started = Date()
        for n in 0..<1100 {
            if n % 11 == 10 {
                let control = "MDRS-C-\(n)"
                var booking = Bookings.valid(n)
                booking["reference"] = control
                try instance.drop(Bookings.json(booking), as: "c\(n).json")
                expected["c\(n).json"] = true
                controls.append(control)
            } else {
                let (name, data) = mutator.mutant(n, reference: "MDRS-F-\(n)")
                try instance.drop(data, as: name)
                expected[name] = Self.acceptable(data, name: name)
            }
            if n % 50 == 0 {
                peakRSS = max(peakRSS, daemon.residentKiB ?? 0)
                // Let the daemon keep up, as a real writer would be paced.
                _ = await TestEnvironment.eventually(seconds: 30) { pending(instance) < 200 }
            }
        }
        let drained = await TestEnvironment.eventually(seconds: 300) { pending(instance) == 0 }
        #expect(drained, "files still in the spool: \(pending(instance))")
        peakRSS = max(peakRSS, daemon.residentKiB ?? 0)
        #expect(daemon.process.isRunning, "the daemon died: \(daemon.output.suffix(2000))")

        let rejected = Set(names(instance.spool.appendingPathComponent("rejected")).filter { !$0.hasSuffix(".error") })
        let processed = Set(names(instance.spool.appendingPathComponent("processed")))
        var wrong: [String] = []
        for (name, accepted) in expected where (accepted ? processed : rejected).contains(name) == false { wrong.append(name) }
        #expect(wrong.isEmpty, "\(wrong.count) files not filed as the validator says: \(wrong.sorted().prefix(10))")
        for name in rejected {
            let error = try String(contentsOf: instance.spool.appendingPathComponent("rejected/\(name).error"), encoding: .utf8)
            #expect(error.contains("\(name): record ") && error.contains(": field '"), "\(name): \(error.prefix(300))")
            #expect(error.utf8.count < 20_000, "\(name): \(error.utf8.count) bytes")
        }
        // Each control booking's six immediate emails went out.
        let store = try StoreProbe(instance.database)
        #expect(try await TestEnvironment.eventually(seconds: 60) {
            let sent = try await store.jobs(state: .sent).filter { $0.bookingReference?.hasPrefix("MDRS-C-") == true }
            return sent.count == controls.count * 6
        }, "control emails missing")
        #expect(peakRSS < 200 * 1024, "peak RSS \(peakRSS) KiB")
        print("measured: fuzz (seed \(Self.seed)): \(expected.count) files (\(controls.count) controls), \(rejected.count) rejected, "
              + "\(processed.count) stored, 0 crashes, drained in \(String(format: "%.1f", Date().timeIntervalSince(started))) s, "
              + "peak RSS \(peakRSS / 1024) MiB")
        #expect(daemon.stop() == 0)
    }

    func names(_ folder: URL) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] }
    func pending(_ instance: InstanceFolder) -> Int { names(instance.spool).filter(Spool.isCandidate).count }

    /// Whether the daemon should store a file: the validator's verdict, as
    /// the daemon's own ingest reaches it (one mediator is configured).
    static func acceptable(_ data: Data, name: String) -> Bool {
        guard data.count <= 10 * 1024 * 1024 else { return false }
        do {
            _ = name.hasSuffix(".csv") ? try BookingCSV.parse(data, file: name, mediators: ["m.okafor"])
                                      : try BookingParser.parseJSON(data, file: name, mediators: ["m.okafor"])
            return true
        } catch {
            return false
        }
    }
}
