public import Foundation
public import Logging
public import Mailer
import MediationDomain
public import Store
import ServiceLifecycle

/// One pass over the bounce mailbox: each new message fetched, read
/// (``BounceParser``), tied to its email by the signed token or the
/// original's Message-ID, recorded once, and marked. A failure makes the
/// email `bounced` and raises one staff alert ("please phone them"); a delay
/// is noted; a forged token or an automatic reply is counted and marked
/// read; what cannot be read or matched is left unread for a person.
public struct BounceReader: Sendable {
    let store: any MDRSStore
    let mailbox: IMAPMailbox
    let address: BounceAddress
    let alerts: AlertRaiser
    let logger: Logger

    /// A reader of `mailbox` for `store`.
    public init(store: any MDRSStore, mailbox: IMAPMailbox, address: BounceAddress, alerts: AlertRaiser, logger: Logger) {
        self.store = store
        self.mailbox = mailbox
        self.address = address
        self.alerts = alerts
        self.logger = logger
    }

    /// What a pass did: messages by outcome (`duplicate` for one recorded
    /// before, marked now).
    public struct Pass: Sendable, Equatable {
        /// Messages by ``BounceNotice/Outcome`` name, or `duplicate`.
        public var outcomes: [String: Int] = [:]
    }

    /// Reads every unmarked message once. Stops at the first mailbox or
    /// store failure; the messages not marked yet are read next time.
    public func readNewMessages(now: Date) async throws(BounceReadError) -> Pass {
        let result: Result<Pass, BounceReadError>
        do throws(BounceReadError) { result = .success(try await readAll(now: now)) } catch { result = .failure(error) }
        // No connection is kept between passes minutes apart.
        await mailbox.close()
        return try result.get()
    }

    private func readAll(now: Date) async throws(BounceReadError) -> Pass {
        var pass = Pass()
        let uids: [UInt32]
        do { uids = try await mailbox.unmarked() } catch { throw .mailbox(error) }
        // Stopping between messages leaves the rest for the next start.
        for uid in uids where !Task.isShuttingDownGracefully {
            let message: [UInt8]
            do { message = try await mailbox.fetch(uid) } catch { throw .mailbox(error) }
            let (notice, job): (BounceNotice, Job?)
            do { (notice, job) = try await classify(message) } catch { throw .store(error) }
            // The alert goes before the record: after a crash between the two
            // it is raised again rather than never.
            if notice.outcome == .failed, let job, job.state == .sent { await alert(job, notice, now: now) }
            let recorded: BounceRecorded?
            do { recorded = try await store.record(notice, now: now) } catch { throw .store(error) }
            pass.outcomes[recorded == nil ? "duplicate" : notice.outcome.rawValue, default: 0] += 1
            logger.info("bounce mailbox: message read", metadata: [
                "uid": "\(uid)", "outcome": "\(notice.outcome.rawValue)", "job": "\(notice.jobID.map(String.init) ?? "-")",
                "status": "\(notice.status ?? "-")", "recorded_before": "\(recorded == nil)"])
            let mark: IMAPMailbox.Mark = [.unmatched, .unreadable].contains(notice.outcome) ? .leftForPerson : .processed
            do { try await mailbox.mark(uid, mark) } catch { throw .mailbox(error) }
        }
        return pass
    }

    /// What the message is and which job it is about.
    func classify(_ message: [UInt8]) async throws(StoreError) -> (BounceNotice, Job?) {
        let report = BounceParser.parse(message)
        let fingerprint = BounceParser.fingerprint(message)
        switch report.kind {
        case .notABounce: return (BounceNotice(fingerprint: fingerprint, outcome: .notABounce), nil)
        case .unreadable: return (BounceNotice(fingerprint: fingerprint, outcome: .unreadable), nil)
        case .failed, .delayed: break
        }
        let verdicts = report.tokenCarriers.compactMap(address.verify(in:))
        var job: Job?
        if let id = verdicts.lazy.compactMap({ if case .job(let id) = $0 { id } else { nil } }).first {
            job = try await store.job(id)
        } else if verdicts.contains(.forged) {
            return (BounceNotice(fingerprint: fingerprint, outcome: .forged), nil)
        } else {
            for messageID in report.originalMessageIDs {
                if let found = try await store.job(messageID: messageID) { job = found; break }
            }
        }
        guard let job else { return (BounceNotice(fingerprint: fingerprint, outcome: .unmatched), nil) }
        let detail = ([report.status, report.diagnostic].compactMap { $0 }.joined(separator: " "))
        return (BounceNotice(fingerprint: fingerprint, outcome: report.kind == .failed ? .failed : .delayed, jobID: job.id,
                             status: report.status, detail: Self.withoutAddresses(detail),
                             address: try await partyAddress(job, reported: report.finalRecipient)), job)
    }

    /// The far server's words for the log and the alert: addresses out
    /// (the alert is read by staff, the log kept for months), one line.
    static func withoutAddresses(_ text: String) -> String {
        String(LogRedaction.addresses(in: text).replacingOccurrences(of: "<<address>>", with: "<address>").prefix(300))
    }

    /// The party's address the email went to, as the booking holds it.
    private func partyAddress(_ job: Job, reported: String?) async throws(StoreError) -> String? {
        guard case .party(let index, _) = job.recipient, let reference = job.bookingReference,
              let booking = try await store.booking(reference), booking.parties.indices.contains(index) else { return nil }
        let addresses = booking.parties.compactMap(\.email)
        if let reported, let match = addresses.first(where: { $0.caseInsensitiveCompare(reported) == .orderedSame }) { return match }
        return booking.version == job.bookingVersion ? booking.parties[index].email : nil
    }

    /// One alert per bounced email; none for a staff digest (an alert about
    /// an alert would bounce the same way).
    private func alert(_ job: Job, _ notice: BounceNotice, now: Date) async {
        let about = job.bookingReference.map { " for \($0)" } ?? ""
        let what = "The \(job.message.rawValue) email"
        let detail: String
        switch job.recipient {
        case .party(_, let role):
            // Only a party's address comes from the booking, and only it is held.
            detail = "\(what) to the \(role.displayName)\(about) bounced (\(notice.detail)). Please phone them to check their email "
                + "address, then send a booking file with the corrected address. Until then later emails to that address"
                + "\(about) are held; `mdrsctl status` lists them."
        case .mediator(let id):
            detail = "\(what) to mediator \(id)\(about) bounced (\(notice.detail)). Please phone them to check their email address, "
                + "correct it in the [[mediators]] section of the config, then reload mdrsd (systemctl reload mdrsd)."
        case .staff:
            logger.critical("a staff digest bounced: check service.admin_email", metadata: ["job": "\(job.id)"])
            return
        }
        await alerts.raise([StaffAlert(cause: "bounced", reference: job.bookingReference,
                                       summary: "Emails bounced: please phone the people they were for", detail: detail)], now: now)
    }
}

/// Why a pass over the bounce mailbox stopped.
public enum BounceReadError: Error, CustomStringConvertible {
    /// The mailbox could not be read (settings, network, server).
    case mailbox(DeliveryError)
    /// The store could not be read or written.
    case store(StoreError)

    public var description: String {
        switch self {
        case .mailbox(let error): "bounce mailbox: \(error)"
        case .store(let error): "store: \(error)"
        }
    }
}
