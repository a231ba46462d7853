import Foundation
public import MediationDomain
import Mustache

/// The administrator's Mustache templates for one locale, loaded and checked
/// once so a broken or missing template stops start-up or reload, not a send.
public struct TemplateCatalog: Sendable {
    private let library: MustacheLibrary
    /// The folder the templates were loaded from.
    public let directory: String
    /// The messages this folder has all three templates for.
    public let messages: Set<MessageKind>

    /// Loads every `*.mustache` file under `directory` (partials in
    /// `partials/`) and checks each message's templates against its context.
    /// - Parameter complete: every message must be there (the main locale);
    ///   otherwise a message is either complete or absent (a translation
    ///   that falls back per message).
    public init(directory: String, complete: Bool = true) throws(TemplateError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TemplateError(file: directory, message: "template folder does not exist")
        }
        let (library, sources, files) = try Self.load(directory)
        self.library = library
        self.directory = directory
        let checker = TemplateChecker(sources: sources, files: files)
        var messages: Set<MessageKind> = []
        for kind in MessageKind.allCases {
            let present = kind.templateNames.filter { library.getTemplate(named: $0) != nil }
            if present.isEmpty && !complete { continue }
            let schema = ContextSchema(reflecting: kind.sampleContext)
            for name in kind.templateNames {
                guard present.contains(name) else {
                    throw TemplateError(file: (directory as NSString).appendingPathComponent("\(name).mustache"),
                                        message: complete ? "required template is missing"
                                                          : "missing: a translated message needs its subject, text and HTML")
                }
                try checker.check(name, against: schema)
            }
            messages.insert(kind)
        }
        self.messages = messages
    }

    /// Registers each file by its path below `directory` without the
    /// extension (`partials/footer`), as `MustacheLibrary(directory:)` would,
    /// but synchronously and with our error for the file that fails.
    private static func load(_ directory: String) throws(TemplateError)
    -> (MustacheLibrary, sources: [String: String], files: [String: String]) {
        var library = MustacheLibrary()
        var sources: [String: String] = [:], files: [String: String] = [:]
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return (library, sources, files)
        }
        for case let url as URL in walker where url.pathExtension == "mustache" {
            let path = url.standardizedFileURL.path
            let relative = String(path.dropFirst(root.path.count + 1))
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw TemplateError(file: path, message: "cannot be read as UTF-8 text")
            }
            let name = String(relative.dropLast(".mustache".count))
            sources[name] = text
            files[name] = path
            do {
                try library.register(text, named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(file: path, line: error.context.lineNumber, column: error.context.columnNumber,
                                    message: "cannot parse template: \(error.error)")
            } catch {
                throw TemplateError(file: path, message: "cannot parse template: \(error)")
            }
        }
        return (library, sources, files)
    }

    /// Renders one message's subject, text and HTML from `context`.
    public func render(_ kind: MessageKind, context: some Sendable) -> RenderedMessage {
        // Contexts answer by name (ContextFields); reflection for any other.
        let names = kind.templateNames, context: Any = context as? any MustacheParent ?? TemplateFields(context)
        let subject = library.render(context, withTemplate: names[0]) ?? ""
        return RenderedMessage(
            subject: subject.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces),
            text: library.render(context, withTemplate: names[1]) ?? "",
            html: library.render(context, withTemplate: names[2]) ?? "")
    }
}

/// What the templates produced for one recipient.
public struct RenderedMessage: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String

    public init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}
