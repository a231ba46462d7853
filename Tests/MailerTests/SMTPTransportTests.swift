import Foundation
import Mailer
import Testing

@Suite struct SMTPTransportTests {
    @Test func nonSMTPURLIsAConfigurationError() {
        #expect { try SMTPTransport(settings: SMTPSettings(url: "http://127.0.0.1:25")) } throws: { error in
            (error as? DeliveryError)?.class == .configuration
        }
    }

    @Test func nothingListeningIsTransient() async throws {
        // Port 1 on loopback: connection refused at once.
        let transport = try SMTPTransport(settings: SMTPSettings(url: "smtp://127.0.0.1:1", requireTLS: false, connectTimeoutSeconds: 2))
        await #expect { _ = try await transport.send(MailEnvelope(sender: "a@example.org", recipient: "b@example.org", messageID: "<x@example.org>", data: .init("x".utf8))) } throws: { error in
            (error as? DeliveryError)?.class == .transient
        }
    }
}
