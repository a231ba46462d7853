import Foundation
import Mailer
import MDRSTestSupport
import MediationDomain
import Testing

/// The libcurl transport against real aiosmtpd servers on loopback, each
/// behaving as relays do: what the server received, and the outcome class.
@Suite struct SMTPRelayTests {
    func envelope(_ n: Int = 1, to recipient: String = "sian@example.org") -> MailEnvelope {
        let text = "From: <mediation@example.org>\r\nTo: <\(recipient)>\r\nSubject: Test \(n)\r\nMessage-ID: <t\(n)@example.org>\r\n\r\nHello \(n)\r\n"
        return MailEnvelope(sender: "mediation@example.org", recipient: recipient, messageID: "<t\(n)@example.org>", data: Data(text.utf8))
    }

    func failure(_ transport: SMTPTransport, _ envelope: MailEnvelope) async -> DeliveryError? {
        do {
            _ = try await transport.send(envelope)
            return nil
        } catch {
            return error
        }
    }

    @Test func plainDeliveryReusesOneConnection() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let transport = try SMTPTransport(settings: SMTPSettings(url: sink.url, requireTLS: false))
        for n in 1...3 {
            let receipt = try await transport.send(envelope(n))
            #expect(receipt.code == 250)
            #expect(receipt.reply.contains("queued as 000\(n)"))
        }
        #expect(sink.messages.map(\.rcptTos) == [["sian@example.org"], ["sian@example.org"], ["sian@example.org"]])
        #expect(sink.messages.map(\.mailFrom) == Array(repeating: "mediation@example.org", count: 3))
        #expect(sink.messages[2].header("Subject") == ["Test 3"])
        #expect(sink.connections == 1)
    }

    @Test func startTLSWithTheCAFile() async throws {
        let certificates = try TemporaryFolder("tls")
        let tls = try await SelfSignedCertificate.make(in: certificates.url)
        let sink = try await SMTPSink.start(tls: tls)
        defer { sink.stop() }
        let transport = try SMTPTransport(settings: SMTPSettings(url: sink.url, caFile: tls.cert))
        let receipt = try await transport.send(envelope())
        #expect(receipt.code == 250)
        #expect(sink.messages.first?.tls == true)

        // With only the system's CAs the certificate is not trusted: an
        // administrator's problem, not one to retry.
        let untrusting = try SMTPTransport(settings: SMTPSettings(url: sink.url))
        let error = await failure(untrusting, envelope(2))
        #expect(error?.class == .configuration, "\(String(describing: error))")
        #expect(sink.messages.count == 1)
    }

    @Test func startTLSIsRequiredByDefault() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        // The server offers no STARTTLS; the default refuses to send in clear.
        let transport = try SMTPTransport(settings: SMTPSettings(url: sink.url))
        let error = await failure(transport, envelope())
        #expect(error?.class == .configuration)
        // What happened, not the last line of EHLO ("250 HELP").
        #expect(error?.message.hasPrefix("the relay does not offer STARTTLS, and mail.require_tls is on") == true, "\(String(describing: error))")
        #expect(sink.messages.isEmpty)
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func authentication(mechanism: String) async throws {
        let certificates = try TemporaryFolder("tls")
        let tls = try await SelfSignedCertificate.make(in: certificates.url)
        let sink = try await SMTPSink.start(tls: tls, auth: "mdrsd:s3cret-example", mechanism: mechanism)
        defer { sink.stop() }
        let good = try SMTPTransport(settings: SMTPSettings(url: sink.url, username: "mdrsd", password: "s3cret-example", caFile: tls.cert))
        #expect(try await good.send(envelope()).code == 250)
        #expect(sink.messages.first?.authenticated == true)

        let wrong = try SMTPTransport(settings: SMTPSettings(url: sink.url, username: "mdrsd", password: "wrong", caFile: tls.cert))
        let error = await failure(wrong, envelope(2))
        #expect(error?.class == .configuration, "\(String(describing: error))")
        #expect(sink.messages.count == 1)
    }

    @Test func reply421IsTransient() async throws {
        let sink = try await SMTPSink.start(mode: .reply421)
        defer { sink.stop() }
        let transport = try SMTPTransport(settings: SMTPSettings(url: sink.url, requireTLS: false))
        let error = await failure(transport, envelope())
        #expect(error?.class == .transient)
        #expect(error?.code == 421)
        #expect(sink.messages.isEmpty)
    }

    @Test func reply451ThenSuccess() async throws {
        let sink = try await SMTPSink.start(mode: .defer451Once)
        defer { sink.stop() }
        let transport = try SMTPTransport(settings: SMTPSettings(url: sink.url, requireTLS: false))
        let error = await failure(transport, envelope())
        #expect(error?.class == .transient)
        #expect(error?.code == 451)
        #expect(error?.message.contains("Try again later") == true)
        #expect(try await transport.send(envelope()).code == 250)
        #expect(sink.messages.count == 1)
    }

    @Test func reply550IsPermanent() async throws {
        let sink = try await SMTPSink.start(mode: .reject550)
        defer { sink.stop() }
        let transport = try SMTPTransport(settings: SMTPSettings(url: sink.url, requireTLS: false))
        let error = await failure(transport, envelope())
        #expect(error?.class == .permanent)
        #expect(error?.code == 550)
        // The refusal, not the "221 Bye" of the QUIT libcurl sends after it.
        #expect(error?.message.hasPrefix("550 5.1.1 <sian@example.org>: Recipient address rejected") == true, "\(String(describing: error))")
        #expect(sink.messages.isEmpty)
    }

    @Test func serverDownThenUp() async throws {
        // Find a free port, then nobody listens on it.
        let probe = try await SMTPSink.start()
        let port = probe.port
        probe.stop()
        let transport = try SMTPTransport(settings: SMTPSettings(url: "smtp://127.0.0.1:\(port)", requireTLS: false, connectTimeoutSeconds: 2))
        #expect(await failure(transport, envelope())?.class == .transient)

        let sink = try await SMTPSink.start(port: port)
        defer { sink.stop() }
        #expect(try await transport.send(envelope(2)).code == 250)
        #expect(sink.messages.count == 1)
    }

    @Test func stalledServerTimesOut() async throws {
        let sink = try await SMTPSink.start(mode: .stall)
        defer { sink.stop() }
        let transport = try SMTPTransport(settings: SMTPSettings(url: sink.url, requireTLS: false, connectTimeoutSeconds: 2, timeoutSeconds: 2))
        let started = Date()
        let error = await failure(transport, envelope())
        let waited = Date().timeIntervalSince(started)
        #expect(error?.class == .transient, "\(String(describing: error))")
        // It really waited for the timeout, and not for libcurl's default of
        // minutes; a loaded machine (the suite runs in parallel on 2 cores)
        // can add seconds before the send even starts.
        #expect(waited >= 1.8 && waited < 30, "waited \(waited) s")
    }
}
