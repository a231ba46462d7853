import ArgumentParser
import Foundation
import MDRSService
import Messages

struct Gallery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every email mdrsd can send, from fictional sample bookings, to a folder.",
        discussion: """
        Each party message to each role, for mediation and disagreement \
        resolution, in every language the templates have, and the mediator's \
        and staff's messages — rendered with this config's templates and \
        service details — as NAME.eml files. Use it to read edited templates \
        as each reader will; `make screenshots` photographs them at phone width.
        """)

    @OptionGroup var options: ConfigOption
    @Argument(help: "The folder to write into (created if missing).") var folder: String

    func run() async throws {
        let instance = try await options.instance()
        let templates = instance.templates
        let languages = [templates.mainLocale] + templates.translations.keys.sorted()
        let entries = MessageGallery(builder: instance.builder).entries(languages: languages)
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for entry in entries {
            try entry.email.data.write(to: url.appendingPathComponent("\(entry.name).eml"))
        }
        print("wrote \(entries.count) emails (\(languages.joined(separator: ", "))) to \(url.path)")
    }
}
