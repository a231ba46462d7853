/// The service as an email to a mediator names it: whom to reply to or
/// ring. The agenda and the certificate reminder share it.
public struct ServiceContact: Sendable {
    public var name, email, phone: String

    init(_ service: ServiceIdentity) {
        name = service.name
        email = service.replyTo
        phone = service.phone
    }
}
