/// How to reach the SMTP relay.
public struct SMTPSettings: Sendable, Equatable {
    /// `smtp://host:port` (STARTTLS) or `smtps://host:port` (TLS from the start).
    public var url: String
    /// Require STARTTLS on `smtp://` URLs; turning this off sends in clear text.
    public var requireTLS: Bool
    public var username: String?
    /// Read from a file (systemd `LoadCredential=`), never from the config.
    public var password: String?
    /// A CA bundle to trust instead of the system's.
    public var caFile: String?
    public var connectTimeoutSeconds: Int
    public var timeoutSeconds: Int
    /// The name to greet the relay with (`EHLO`) when the URL has no path.
    public var ehloDomain: String?

    public init(url: String, requireTLS: Bool = true, username: String? = nil, password: String? = nil,
                caFile: String? = nil, connectTimeoutSeconds: Int = 10, timeoutSeconds: Int = 60, ehloDomain: String? = nil) {
        self.url = url
        self.requireTLS = requireTLS
        self.username = username
        self.password = password
        self.caFile = caFile
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.timeoutSeconds = timeoutSeconds
        self.ehloDomain = ehloDomain
    }
}
