public import Foundation

/// The spool folder: writers drop booking files in (writing elsewhere, or
/// under a name starting with `.`, then renaming in; or writing in place
/// and closing), and each is filed after ingest: to `processed/`, or to
/// `rejected/` beside a `.error` file that says what is wrong.
public struct Spool: Sendable {
    public let folder: URL
    public var processed: URL { folder.appendingPathComponent("processed") }
    public var rejected: URL { folder.appendingPathComponent("rejected") }

    /// The spool at `folder`, its subfolders created (0700) if missing.
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

    /// Whether the name is still in the spool (as a file, link or anything).
    func contains(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0
    }

    /// Files a stored file in `processed/`.
    func accept(_ url: URL) { move(url, to: processed) }

    /// Files a rejected file in `rejected/`, beside a `.error` file with `reason`.
    func reject(_ url: URL, reason: String) {
        let target = move(url, to: rejected)
        let errorFile = target.appendingPathExtension("error")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: Data((reason + "\n").utf8),
                                           attributes: [.posixPermissions: 0o600])
    }

    /// Moves a file (of any type: the link itself, not its target) into
    /// `folder`, adding a timestamp if the name is taken.
    @discardableResult
    private func move(_ url: URL, to folder: URL) -> URL {
        var target = folder.appendingPathComponent(url.lastPathComponent)
        var info = stat()
        if lstat(target.path, &info) == 0 {
            target = folder.appendingPathComponent("\(Int(Date().timeIntervalSince1970))-\(UUID().uuidString.prefix(8))-\(url.lastPathComponent)")
        }
        if rename(url.path, target.path) != 0 { unlink(url.path) }
        return target
    }
}
