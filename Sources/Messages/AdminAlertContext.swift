/// What an `admin_alert` template may use. For staff: it names the case
/// and the message, never a family's contact details.
public struct AdminAlertContext: Sendable {
    public struct Service: Sendable { public var name: String }

    public var service: Service
    /// One line: what happened.
    public var summary: String
    /// What the relay or the daemon said, and what to do.
    public var detail: String
    public var reference: String?
    public var message: String?
    public var role: String?

    public init(service: ServiceIdentity, summary: String, detail: String, reference: String? = nil,
                message: String? = nil, role: String? = nil) {
        self.service = Service(name: service.name)
        self.summary = summary
        self.detail = detail
        self.reference = reference
        self.message = message
        self.role = role
    }
}
