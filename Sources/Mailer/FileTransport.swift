public import Foundation

/// Writes each message as an `.eml` file into a folder: the default for
/// `make run`, and a way for an administrator to see exactly what would go.
/// Each file is written aside and renamed in, so a reader never sees half a
/// message; it is flushed to disk first only when `fsync` is asked for (a
/// rename is atomic, but without a flush a power cut may leave it empty).
public struct FileTransport: MailTransport {
    public let directory: URL
    /// Whether each file is flushed to disk before it is renamed in.
    public let fsync: Bool
    /// Whether each file is written aside and renamed in; a folder nobody
    /// reads while it fills (a simulation's) takes it directly, one
    /// directory change a message rather than three.
    public let atomic: Bool

    /// Creates the folder (0700) if it does not exist.
    public init(directory: URL, fsync: Bool = false, atomic: Bool = true) throws(DeliveryError) {
        self.directory = directory
        self.fsync = fsync
        self.atomic = atomic
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw DeliveryError(.configuration, message: "cannot create outbox \(directory.path): \(error.localizedDescription)")
        }
    }

    public func send(_ envelope: MailEnvelope) async throws(DeliveryError) -> DeliveryReceipt {
        let id = envelope.messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        let safe = String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_@".contains($0)) ? $0 : "_" })
        let target = directory.appendingPathComponent("\(safe).eml")
        let temporary = atomic ? directory.appendingPathComponent(".\(safe).\(UUID().uuidString).tmp") : target
        let fd = open(temporary.path, O_WRONLY | O_CREAT | (atomic ? O_EXCL : O_TRUNC) | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DeliveryError(.transient, message: "cannot write \(temporary.path): \(String(cString: strerror(errno)))") }
        let written = envelope.data.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let count = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        let flushed = !fsync || Glibc.fsync(fd) == 0
        let reason = String(cString: strerror(errno))
        close(fd)
        guard written, flushed, !atomic || rename(temporary.path, target.path) == 0 else {
            unlink(temporary.path)
            throw DeliveryError(.transient, message: "cannot write \(target.path): \(reason)")
        }
        return DeliveryReceipt(code: 0, reply: "written to \(target.lastPathComponent)")
    }
}
