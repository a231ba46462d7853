/// A file mdrsd cannot use — the config, a template, the bank-holiday
/// changes — with where (file, line, column, key) and why, keeping the
/// error underneath when there is one. Config and template errors share
/// this one shape (`ConfigError`, `TemplateError`).
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// `section.key` in a config, when the error is about one key.
    public var key: String?
    public var message: String
    /// The error that caused this one (a TOML parser's, SQLite's).
    public var cause: (any Error & Sendable)?

    /// An error in `file`, optionally at a line and column or a key.
    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String,
                cause: (any Error & Sendable)? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
        self.cause = cause
    }

    /// `file:line:column: 'key': message`
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        if let key { return "\(location): '\(key)': \(message)" }
        return "\(location): \(message)"
    }
}
