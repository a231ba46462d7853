import Foundation
import Mailer
import MDRSTestSupport
import Testing

/// The libcurl IMAP client against a real Dovecot on loopback: new messages
/// found, fetched whole and marked once; bad settings are configuration
/// failures, never a password in clear.
@Suite struct IMAPMailboxTests {
    func settings(_ server: IMAPServer, password: String? = nil, caFile: String? = nil) -> IMAPSettings {
        IMAPSettings(url: server.url, username: server.username, password: password ?? server.password, caFile: caFile ?? server.certificate,
                     connectTimeoutSeconds: 5, timeoutSeconds: 20)
    }

    @Test func newMessagesAreFetchedWholeAndMarkedOnce() async throws {
        let server = try await IMAPServer.start()
        defer { server.stop() }
        let one = try BounceFixtures.message("postfix", returnPath: "bounces+1.aaaaaaaaaaaaaaaa@example.org")
        let two = try BounceFixtures.message("person", returnPath: "bounces@example.org")
        try await server.append(one)
        try await server.append(two)
        let mailbox = try IMAPMailbox(settings: settings(server))
        let uids = try await mailbox.unmarked()
        #expect(uids.count == 2)
        #expect(try await mailbox.fetch(uids[0]) == one)
        #expect(try await mailbox.fetch(uids[1]) == two)

        try await mailbox.mark(uids[0], .processed)
        try await mailbox.mark(uids[1], .leftForPerson)
        #expect(try await mailbox.unmarked().isEmpty)
        let flags = try await server.flags()
        #expect(flags[uids[0]] == ["\\Seen", "MdrsdRead"])
        #expect(flags[uids[1]] == ["MdrsdLeft"], "left unread for a person")
        await mailbox.close()
        #expect(try await mailbox.unmarked().isEmpty, "a closed mailbox opens again")
    }

    @Test func aWrongPasswordIsAConfigurationFailure() async throws {
        let server = try await IMAPServer.start()
        defer { server.stop() }
        let mailbox = try IMAPMailbox(settings: settings(server, password: "wrong"))
        await #expect(throws: DeliveryError(.configuration, message: "the mail server refused the bounce mailbox's username and password")) {
            try await mailbox.unmarked()
        }
    }

    @Test func anUntrustedCertificateIsAConfigurationFailure() async throws {
        let server = try await IMAPServer.start()
        defer { server.stop() }
        // Only the system's CAs: the test server's own certificate is not among them.
        let mailbox = try IMAPMailbox(settings: settings(server, caFile: "/etc/ssl/certs/ca-certificates.crt"))
        do {
            _ = try await mailbox.unmarked()
            Issue.record("an untrusted server was read")
        } catch {
            #expect(error.class == .configuration)
            #expect(error.message.contains("certificate is not trusted"), "\(error)")
        }
    }

    @Test func nothingListeningIsTransient() async throws {
        let mailbox = try IMAPMailbox(settings: IMAPSettings(url: "imap://127.0.0.1:9", username: "u", password: "p",
                                                             connectTimeoutSeconds: 2, timeoutSeconds: 5))
        do {
            _ = try await mailbox.unmarked()
            Issue.record("a closed port was read")
        } catch {
            #expect(error.class == .transient)
        }
    }
}
