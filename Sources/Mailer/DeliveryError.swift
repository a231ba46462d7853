/// Why a message was not delivered, and what kind of failure that is.
public struct DeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// How the dispatcher should react.
    public enum Class: String, Sendable {
        /// Try again later: connection trouble, timeouts, 4xx replies.
        case transient
        /// Retrying will not help: 5xx replies, a refused recipient.
        case permanent
        /// Our side is wrong (authentication, certificates, URL): tell the
        /// administrator at once and do not burn retries.
        case configuration
    }

    public var `class`: Class
    /// The server's reply code, when there was one.
    public var code: Int?
    public var message: String

    public init(_ class: Class, code: Int? = nil, message: String) {
        self.class = `class`
        self.code = code
        self.message = message
    }

    public var description: String {
        "\(self.class) failure" + (code.map { " (\($0))" } ?? "") + ": \(message)"
    }
}
