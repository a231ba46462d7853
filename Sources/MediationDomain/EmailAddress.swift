/// Checks addresses the way a relay will (RFC 5321: a 64-octet local part,
/// 254 octets in all): a dot-atom local part and a
/// dotted host name, nothing that could smuggle a header or a second address.
public enum EmailAddress {
    private static let localCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-.")

    /// The longest address a relay must accept.
    public static let maximumLength = 254

    /// Whether `address` is a plain `local@domain.tld` address.
    public static func isValid(_ address: String) -> Bool {
        guard address.utf8.count <= maximumLength, address.allSatisfy(\.isASCII) else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0], domain = parts[1]
        guard (1...64).contains(local.count), local.allSatisfy(localCharacters.contains),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
                && !label.hasPrefix("-") && !label.hasSuffix("-")
        }
    }
}
