import Crypto
public import Foundation

/// The envelope sender that ties a bounce to its email (VERP):
/// `bounces+ID.MAC@domain`, where ID is the job and MAC an HMAC-SHA256 of
/// it under the service's key, so a forged bounce cannot mark an arbitrary
/// email. Lower-case base32, because some servers fold the local part's case.
public struct BounceAddress: Sendable {
    /// The configured return path, `bounces@example.org`.
    public let returnPath: String
    private let key: Data

    /// Addresses under `returnPath`, signed with `key` (at least 16 bytes).
    public init(returnPath: String, key: Data) {
        self.returnPath = returnPath
        self.key = key
    }

    /// The envelope sender for job `id`.
    public func sender(forJob id: Int64) -> String {
        guard let at = returnPath.lastIndex(of: "@") else { return returnPath }
        return "\(returnPath[..<at])+\(token(id))\(returnPath[at...])"
    }

    /// What a token found in a bounce says.
    public enum Verdict: Sendable, Equatable {
        /// A token this service signed, for this job.
        case job(Int64)
        /// A token whose signature does not match: forged or mangled.
        case forged
    }

    /// The job named by the first token in `text` (a header's value), or
    /// `nil` when the text holds none.
    public func verify(in text: String) -> Verdict? {
        guard let (id, mac) = Self.findToken(in: text.lowercased()) else { return nil }
        return Self.base32(Array(signature(id))) == mac ? .job(id) : .forged
    }

    private func token(_ id: Int64) -> String { "\(id).\(Self.base32(Array(signature(id))))" }

    /// 80 bits of the HMAC: forging one takes 2^80 guesses, and the address
    /// stays short.
    private func signature(_ id: Int64) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data("mdrsd-bounce:\(id)".utf8), using: SymmetricKey(data: key)).prefix(10))
    }

    static let macLength = 16

    /// `+DIGITS.BASE32` followed by `@`, in lower-cased text.
    static func findToken(in text: String) -> (Int64, String)? {
        var rest = text[...]
        while let plus = rest.firstIndex(of: "+") {
            let after = rest[rest.index(after: plus)...]
            let digits = after.prefix { $0.isASCII && $0.isNumber }
            let tail = after.dropFirst(digits.count)
            if !digits.isEmpty, digits.count <= 18, tail.first == ".", let id = Int64(digits) {
                let mac = tail.dropFirst().prefix { alphabet.contains($0) }
                if mac.count == macLength, tail.dropFirst(1 + macLength).first == "@" { return (id, String(mac)) }
            }
            rest = after
        }
        return nil
    }

    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")

    /// RFC 4648 base32, lower case, unpadded (10 bytes give 16 characters).
    static func base32(_ bytes: [UInt8]) -> String {
        var out = "", buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }
}
