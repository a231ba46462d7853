import Foundation
import MediationDomain

/// Checks a Mustache template's tags against the context it will be
/// rendered with, because Mustache renders an unknown name as nothing: a
/// typo in an administrator's template would silently drop the meeting's
/// date from an email. Partials are checked where they are included.
struct TemplateChecker {
    /// Template texts by name (`booking_confirmation.text`, `partials/footer.text`).
    let sources: [String: String]
    /// The file a name was loaded from, for errors.
    let files: [String: String]

    func check(_ name: String, against schema: ContextSchema) throws(TemplateError) {
        try check(name, stack: [schema], depth: 0)
    }

    private func check(_ name: String, stack initial: [ContextSchema], depth: Int) throws(TemplateError) {
        guard let text = sources[name] else { return }
        let file = files[name] ?? name
        guard depth < 10 else { throw TemplateError(file: file, message: "partials include each other too deeply") }
        var stack = initial
        var open: [(name: String, line: Int)] = []
        var rest = Substring(text)
        while let start = rest.range(of: "{{") {
            let line = text[..<start.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let triple = rest[start.upperBound...].hasPrefix("{")
            guard let end = rest[start.upperBound...].range(of: triple ? "}}}" : "}}") else {
                throw TemplateError(file: file, line: line, message: "a tag is opened with {{ but never closed")
            }
            var tag = rest[start.upperBound..<end.lowerBound]
            if triple { tag = tag.dropFirst() }
            rest = rest[end.upperBound...]
            let sigil = tag.first.flatMap { "#^/>!&%=".contains($0) ? $0 : nil }
            let body = (sigil == nil ? tag : tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            switch sigil {
            case "!", "%": continue
            case "=": throw TemplateError(file: file, line: line, message: "changing delimiters is not supported in mdrsd templates")
            case ">":
                guard sources[body] != nil else {
                    throw TemplateError(file: file, line: line, message: "partial '\(body)' does not exist")
                }
                try check(body, stack: stack, depth: depth + 1)
            case "#", "^":
                let target = try lookUp(body, in: stack, file: file, line: line)
                open.append((body, line))
                stack.append(sigil == "#" ? (target.sectionContext ?? stack.last!) : stack.last!)
            case "/":
                guard let last = open.popLast(), last.name == body else {
                    throw TemplateError(file: file, line: line, message: "{{/\(body)}} closes a section that is not open")
                }
                stack.removeLast()
            default:
                _ = try lookUp(body, in: stack, file: file, line: line)
            }
        }
        if let unclosed = open.last {
            throw TemplateError(file: file, line: unclosed.line, message: "section '\(unclosed.name)' is never closed")
        }
    }

    /// Mustache looks a name up in the innermost context first, then outward.
    private func lookUp(_ name: String, in stack: [ContextSchema], file: String, line: Int) throws(TemplateError) -> ContextSchema {
        if name == "." { return stack.last! }
        let path = name.split(separator: ".")
        for context in stack.reversed() {
            if let found = context.resolve(path) { return found }
        }
        let known = stack.last!.names.joined(separator: ", ")
        throw TemplateError(file: file, line: line, message: "unknown variable '\(name)'; this message has: \(known)")
    }
}
