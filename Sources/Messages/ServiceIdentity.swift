/// Who the emails come from: the service's name and contact details, as the
/// administrator set them in the config.
public struct ServiceIdentity: Sendable, Equatable {
    public var name: String
    /// The envelope sender and `From:` address.
    public var fromAddress: String
    /// The service mailbox replies go to (`Reply-To:`).
    public var replyTo: String
    public var phone: String
    /// The service's name in other languages, by code (`cy`).
    public var localizedNames: [String: String]

    public init(name: String, fromAddress: String, replyTo: String, phone: String, localizedNames: [String: String] = [:]) {
        self.name = name
        self.localizedNames = localizedNames
        self.fromAddress = fromAddress
        self.replyTo = replyTo
        self.phone = phone
    }

    /// The name a reader of `language` sees: its translation, else the name.
    public func name(in language: String) -> String { localizedNames[language] ?? name }

    /// The host part of the From address, used to make Message-IDs.
    public var domain: String {
        fromAddress.split(separator: "@").last.map(String.init) ?? "localhost"
    }
}
