/// How to reach the mailbox bounces arrive in.
public struct IMAPSettings: Sendable, Equatable {
    /// `imaps://host:port` (TLS from the start) or `imap://host:port`
    /// (STARTTLS, always required: the password never goes in clear).
    public var url: String
    /// The folder bounces land in.
    public var mailbox: String
    /// The IMAP login.
    public var username: String
    /// Read from a file (systemd `LoadCredential=`), never from the config.
    public var password: String
    /// A CA bundle to trust instead of the system's.
    public var caFile: String?
    /// How long to wait for the server to answer a connection.
    public var connectTimeoutSeconds: Int
    /// How long one command may take in all.
    public var timeoutSeconds: Int

    /// Settings for the mailbox at `url`.
    public init(url: String, mailbox: String = "INBOX", username: String, password: String, caFile: String? = nil,
                connectTimeoutSeconds: Int = 10, timeoutSeconds: Int = 60) {
        self.url = url
        self.mailbox = mailbox
        self.username = username
        self.password = password
        self.caFile = caFile
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.timeoutSeconds = timeoutSeconds
    }
}
