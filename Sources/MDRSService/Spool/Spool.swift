import Foundation
import Logging
import MediationDomain

/// The spool folder: writers drop booking files in (writing elsewhere, or
/// under a name starting with `.`, then renaming in, so a half-written file
/// is never read); each is ingested, then moved to `processed/`, or to
/// `rejected/` beside a `.error` file that says what is wrong.
public struct Spool: Sendable {
    public let folder: URL
    public var processed: URL { folder.appendingPathComponent("processed") }
    public var rejected: URL { folder.appendingPathComponent("rejected") }

    public init(folder: URL) throws {
        self.folder = folder
        for dir in [folder, processed, rejected] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
    }

    /// Whether a name in the spool is a booking file to take.
    public static func isCandidate(_ name: String) -> Bool {
        !name.hasPrefix(".") && ["json", "csv"].contains((name as NSString).pathExtension.lowercased())
    }

    /// Booking files waiting, oldest name first.
    public func waitingFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter(Self.isCandidate).sorted().map { folder.appendingPathComponent($0) }
    }

    /// Ingests one file and files it away. Never throws: a bad file is
    /// rejected, logged, and the daemon carries on.
    @discardableResult
    public func take(_ url: URL, with ingestor: Ingestor, now: Date, logger: Logger) -> IngestReport? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let report = try ingestor.ingest(file: url, now: now)
            move(url, to: processed)
            for (reference, outcome) in report.outcomes {
                logger.info("booking ingested", metadata: ["file": "\(report.file)", "reference": "\(reference)", "outcome": "\(outcome)"])
            }
            for (reference, message) in report.warnings {
                logger.warning("booking needs attention", metadata: ["reference": "\(reference)", "warning": "\(message)"])
            }
            for call in report.unscheduled {
                logger.warning("preparatory call not planned", metadata: [
                    "reference": "\(call.booking)", "with": "\(call.with.map(\.rawValue).joined(separator: "+"))", "reason": "\(call.reason)",
                ])
            }
            return report
        } catch {
            let target = move(url, to: rejected)
            let errorFile = target.appendingPathExtension("error")
            try? Data((error.description + "\n").utf8).write(to: errorFile)
            logger.warning("booking file rejected", metadata: [
                "file": "\(url.lastPathComponent)", "errors": "\(error.errors.count)",
                // Field paths and reasons only; values may be personal data.
                "first": "record \(error.errors.first?.record ?? 0) field \(error.errors.first?.field ?? "?")",
            ])
            return nil
        }
    }

    /// Moves a file into `folder`, adding a timestamp if the name is taken.
    @discardableResult
    private func move(_ url: URL, to folder: URL) -> URL {
        var target = folder.appendingPathComponent(url.lastPathComponent)
        if FileManager.default.fileExists(atPath: target.path) {
            let stamp = Int(Date().timeIntervalSince1970)
            target = folder.appendingPathComponent("\(stamp)-\(url.lastPathComponent)")
        }
        if (try? FileManager.default.moveItem(at: url, to: target)) == nil {
            try? FileManager.default.removeItem(at: url)
        }
        return target
    }
}
