public import Mailer
public import Messages

extension MailEnvelope {
    /// The envelope that carries a composed email: the one conversion.
    public init(_ email: OutgoingEmail) {
        self.init(sender: email.sender, recipient: email.recipient, messageID: email.messageID, data: email.data)
    }
}
