import Foundation
public import MediationDomain

/// The templates of every locale: the main one complete; a translation (a
/// sibling folder such as `cy/`) has every message a party gets, so a reader
/// never switches language halfway through a booking. Staff and mediators'
/// messages may stay in the main locale.
public struct LocalizedTemplates: Sendable {
    /// The main locale's code (`en`) and templates.
    public let mainLocale: String
    public let main: TemplateCatalog
    /// Translations by locale code.
    public let translations: [String: TemplateCatalog]

    /// Loads `<root>/<mainLocale>/` (complete) and every other folder in
    /// `root` as a translation.
    public init(root: String, mainLocale: String) throws(TemplateError) {
        self.mainLocale = mainLocale
        main = try TemplateCatalog(directory: (root as NSString).appendingPathComponent(mainLocale))
        var translations: [String: TemplateCatalog] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for entry in entries.sorted() where entry != mainLocale && !entry.hasPrefix(".") {
            let folder = (root as NSString).appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let translation = try TemplateCatalog(directory: folder, complete: false)
            let missing = MessageKind.partyMessages.filter { !translation.messages.contains($0) }
            guard missing.isEmpty else {
                throw TemplateError(file: folder, message: "the '\(entry)' translation lacks \(missing.map(\.rawValue).joined(separator: ", ")): "
                    + "every message a party gets needs its subject, text and html in each language, or a family would get some "
                    + "emails in one language and some in another; translate them or remove the folder")
            }
            translations[entry] = translation
        }
        self.translations = translations
    }

    /// The catalog and locale a message to someone speaking `language` is
    /// rendered with: the translation when it has the message, else the
    /// main locale.
    public func catalog(for kind: MessageKind, language: String?) -> (catalog: TemplateCatalog, locale: String) {
        if let language, let translation = translations[language], translation.messages.contains(kind) {
            return (translation, language)
        }
        return (main, mainLocale)
    }
}
