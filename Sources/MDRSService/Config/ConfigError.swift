/// A config the daemon cannot start with: names the file and the key.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String
    /// `section.key`, or the section, or nil for the file as a whole.
    public var key: String?
    public var line: Int?
    public var message: String

    public init(file: String, key: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let key { return "\(location): '\(key)': \(message)" }
        return "\(location): \(message)"
    }
}
