import Foundation

/// Writes each message as an `.eml` file into a folder: the default for
/// `make run`, and a way for an administrator to see exactly what would go.
public struct FileTransport: MailTransport {
    public let directory: URL

    /// Creates the folder (0700) if it does not exist.
    public init(directory: URL) throws(DeliveryError) {
        self.directory = directory
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
        let temporary = directory.appendingPathComponent(".\(safe).\(UUID().uuidString).tmp")
        // Written aside and renamed, so a reader never sees half a message.
        guard FileManager.default.createFile(atPath: temporary.path, contents: envelope.data,
                                             attributes: [.posixPermissions: 0o600]) else {
            throw DeliveryError(.transient, message: "cannot write \(temporary.path)")
        }
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw DeliveryError(.transient, message: "cannot rename into \(target.path): \(reason)")
        }
        return DeliveryReceipt(code: 0, reply: "written to \(target.lastPathComponent)")
    }
}
