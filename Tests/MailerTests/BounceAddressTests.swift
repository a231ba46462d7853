import Foundation
import Mailer
import Testing

@Suite struct BounceAddressTests {
    let address = BounceAddress(returnPath: "bounces@example.org", key: Data("a-test-key-of-32-bytes-0123456789".utf8))

    @Test func theSenderCarriesASignedTokenForTheJob() {
        let sender = address.sender(forJob: 4_242)
        #expect(sender.hasPrefix("bounces+4242."))
        #expect(sender.hasSuffix("@example.org"))
        #expect(sender.split(separator: "@")[0].count <= 64, "an RFC 5321 local part is at most 64 octets")
        #expect(address.verify(in: "To: <\(sender)>") == .job(4_242))
    }

    @Test func aServerThatFoldsTheCaseStillMatches() {
        #expect(address.verify(in: address.sender(forJob: 7).uppercased()) == .job(7))
    }

    @Test func everyChangeToTheTokenIsAForgery() {
        let sender = address.sender(forJob: 1_000)
        // Another job's number under this MAC, and one character changed in the MAC.
        #expect(address.verify(in: sender.replacingOccurrences(of: "+1000.", with: "+1001.")) == .forged)
        let at = sender.firstIndex(of: "@")!
        let last = sender[sender.index(before: at)]
        let changed = sender.replacingCharacters(in: sender.index(before: at)..<at, with: last == "a" ? "b" : "a")
        #expect(address.verify(in: changed) == .forged)
        // Another key signs other tokens.
        let other = BounceAddress(returnPath: "bounces@example.org", key: Data("another-key-of-32-bytes-987654321".utf8))
        #expect(other.verify(in: sender) == .forged)
    }

    @Test func textWithoutATokenNamesNoJob() {
        #expect(address.verify(in: "bounces@example.org") == nil)
        #expect(address.verify(in: "parent+school@example.org") == nil)
        #expect(address.verify(in: "") == nil)
    }

    @Test func tokensAreDistinctPerJob() {
        let senders = Set((1...2_000).map { address.sender(forJob: Int64($0)) })
        #expect(senders.count == 2_000)
        for id in [1, 999, 2_000] { #expect(address.verify(in: address.sender(forJob: Int64(id))) == .job(Int64(id))) }
    }
}
