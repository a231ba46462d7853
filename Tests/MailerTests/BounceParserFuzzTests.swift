import Foundation
import Mailer
import MDRSTestSupport
import SeededRandom
import Testing

/// Bounce mailboxes hold whatever anyone sends: mangled fixtures, with a
/// fixed seed, never crash the parser, and a read failure is never turned
/// into a failure for an email no token or Message-ID names.
@Suite struct BounceParserFuzzTests {
    @Test func mangledBouncesNeverCrashAndNeverInventATarget() throws {
        var random = SplitMix64(seed: 17)
        let returnPath = "bounces+17.abcdefghijklmnop@example.org"
        var runs = 0
        for name in BounceFixtures.names {
            let original = try BounceFixtures.message(name, returnPath: returnPath)
            for _ in 0..<250 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<4, using: &random) {
                    case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...200, using: &random)))
                    case 2: bytes.insert(contentsOf: Array("\r\n--".utf8), at: at)
                    default: bytes = Array(bytes.prefix(at))
                    }
                    if bytes.isEmpty { bytes = [10] }
                }
                let report = BounceParser.parse(bytes)
                runs += 1
                if report.kind == .failed || report.kind == .delayed {
                    // Whatever it says, it points only at what the bytes name
                    // (piece by piece: folded header lines are joined).
                    // Read as the parser reads text: UTF-8, else Latin-1.
                    let texts = [String(decoding: bytes, as: UTF8.self), String(bytes.map { Character(Unicode.Scalar($0)) })]
                    func named(_ value: String) -> Bool {
                        texts.contains { text in value.split(separator: " ").allSatisfy { text.contains($0) } }
                    }
                    #expect(report.tokenCarriers.allSatisfy(named))
                    #expect(report.originalMessageIDs.allSatisfy(named), "\(report.originalMessageIDs)")
                }
            }
        }
        #expect(runs == BounceFixtures.names.count * 250)
    }
}
