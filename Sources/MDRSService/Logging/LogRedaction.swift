/// Takes personal data out of text that comes from elsewhere (a relay's
/// reply quotes the recipient: `550 5.1.1 <a@example.org>: …`) before it is
/// logged above debug. The store and staff alerts keep the full text.
enum LogRedaction {
    /// The text with every email address replaced by `<address>`.
    static func addresses(in text: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            out += word.contains("@") && word.split(separator: "@").count == 2 ? "<address>" : word
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || "._%+-@'".contains(character) {
                word.append(character)
            } else {
                flush()
                out.append(character)
            }
        }
        flush()
        return out
    }
}
