import Foundation
public import MediationDomain

/// The templates of every locale: the main one complete, translations (a
/// sibling folder such as `cy/`) per message, falling back to the main
/// locale for any message they lack.
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
            translations[entry] = try TemplateCatalog(directory: folder, complete: false)
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

    /// The parties' messages each translation falls back to the main
    /// locale for, to log at start-up. (Staff and mediators get the main
    /// locale.)
    public var fallbacks: [(locale: String, messages: [MessageKind])] {
        translations.keys.sorted().map { locale in
            (locale, MessageKind.partyMessages.filter { !translations[locale]!.messages.contains($0) })
        }
    }
}
