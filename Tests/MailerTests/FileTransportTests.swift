import Foundation
import Mailer
import Testing

@Suite struct FileTransportTests {
    @Test func writesOnePrivateFilePerMessage() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mdrsd-outbox-\(UUID().uuidString)")
        let transport = try FileTransport(directory: folder)
        let data = Data("Subject: x\r\n\r\nbody\r\n".utf8)
        let receipt = try await transport.send(MailEnvelope(sender: "a@example.org", recipient: "b@example.org",
                                                            messageID: "<job.1@example.org>", data: data))
        let file = folder.appendingPathComponent("job.1@example.org.eml")
        #expect(receipt.reply.contains("job.1@example.org.eml"))
        #expect(try Data(contentsOf: file) == data)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["job.1@example.org.eml"])
    }
}
