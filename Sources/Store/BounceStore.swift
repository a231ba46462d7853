public import Foundation

/// What the bounce mailbox told: each message recorded once (by its
/// fingerprint, so a crash between recording and marking it repeats
/// nothing), failed emails turned `bounced`, and the addresses that bounced
/// kept per booking so later emails to them are held.
public protocol BounceStore: Sendable {
    /// The job sent with this Message-ID, if any.
    func job(messageID: String) async throws(StoreError) -> Job?

    /// Records one message of the bounce mailbox; `nil` when its fingerprint
    /// was recorded before (nothing changes then).
    func record(_ notice: BounceNotice, now: Date) async throws(StoreError) -> BounceRecorded?

    /// Whether an email to `address` about booking `reference` bounced (and
    /// no booking version since has changed the address).
    func hasBounced(booking reference: String, address: String) async throws(StoreError) -> Bool

    /// How many messages of the bounce mailbox were read since `since`, by outcome.
    func bounceTally(since: Date) async throws(StoreError) -> [BounceNotice.Outcome: Int]
}

/// One message read from the bounce mailbox, as it is recorded.
public struct BounceNotice: Sendable, Equatable {
    /// What it was.
    public enum Outcome: String, Sendable, CaseIterable, Codable {
        /// A failure for one of our emails: the job becomes `bounced`.
        case failed
        /// A delay for one of our emails: noted in its delivery log.
        case delayed
        /// A token whose signature does not match: ignored.
        case forged
        /// A bounce for no email of ours: left for a person.
        case unmatched
        /// An automatic reply or other notice, not a bounce.
        case notABounce = "not_a_bounce"
        /// Not understood: left for a person.
        case unreadable
    }

    /// A digest of the whole message, so it is recorded once.
    public var fingerprint: String
    /// What it was.
    public var outcome: Outcome
    /// The email it is about, for `failed` and `delayed`.
    public var jobID: Int64?
    /// The enhanced status code, `5.1.1`.
    public var status: String?
    /// What the far server said, without addresses, for the delivery log.
    public var detail: String
    /// The address that bounced, for a party's email: later emails to it
    /// for the same booking are held.
    public var address: String?

    /// A notice.
    public init(fingerprint: String, outcome: Outcome, jobID: Int64? = nil, status: String? = nil, detail: String = "",
                address: String? = nil) {
        self.fingerprint = fingerprint
        self.outcome = outcome
        self.jobID = jobID
        self.status = status
        self.detail = detail
        self.address = address
    }
}

/// What recording a notice changed.
public struct BounceRecorded: Sendable, Equatable {
    /// The job that became `bounced` by it; `nil` when none did (a delay,
    /// or a second notice for a job already bounced).
    public var bounced: Job?

    /// A result.
    public init(bounced: Job?) { self.bounced = bounced }
}
