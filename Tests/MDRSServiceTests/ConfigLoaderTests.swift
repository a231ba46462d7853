import Foundation
import MDRSTestSupport
import MDRSService
import Messages
import Testing

@Suite struct ConfigLoaderTests {
    func write(_ text: String) throws -> URL {
        let folder = try TestEnvironment.temporaryFolder("config")
        let file = folder.appendingPathComponent("mdrsd.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func relativePathsResolveAgainstTheConfigFolder() throws {
        let file = try write("[paths]\ndatabase = \"state/db.sqlite\"\nspool = \"../spool\"\n[mail]\noutbox = \"out\"\n")
        let config = try ConfigLoader.load(path: file.path)
        let folder = file.deletingLastPathComponent()
        #expect(config.database == folder.appendingPathComponent("state/db.sqlite").standardizedFileURL)
        #expect(config.spool == folder.deletingLastPathComponent().appendingPathComponent("spool").standardizedFileURL)
        #expect(config.transport == .file(outbox: folder.appendingPathComponent("out").standardizedFileURL))
        #expect(config.templates == folder.appendingPathComponent("templates").standardizedFileURL)
    }

    @Test func defaultsNeedNoKeysAtAll() throws {
        let config = try ConfigLoader.load(path: try write("").path)
        #expect(config.service.fromAddress == "mediation@example.org")
        #expect(config.logLevel == "info")
        #expect(config.database.path.hasSuffix("var/mdrsd.sqlite"))
    }

    @Test(arguments: [
        ("[mail]\ntransprot = \"smtp\"\n", "mail.transprot"),
        ("[mial]\n", "mial"),
        ("[mail]\ntransport = \"smtp\"\n", "mail.smtp_url"),
        ("[mail]\ntransport = \"smtp\"\nsmtp_url = \"http://x\"\n", "mail.smtp_url"),
        ("[mail]\ntimeout_seconds = \"ten\"\n", "mail.timeout_seconds"),
        ("[service]\nfrom = \"not an address\"\n", "service.from"),
        ("[log]\nlevel = \"loud\"\n", "log.level"),
    ])
    func badValueNamesTheKey(text: String, key: String) throws {
        let file = try write(text)
        #expect { try ConfigLoader.load(path: file.path) } throws: { error in
            (error as? ConfigError)?.key == key
        }
    }

    @Test func brokenTOMLGivesTheLine() throws {
        let file = try write("[service]\nname = \"x\"\nphone = \n")
        #expect { try ConfigLoader.load(path: file.path) } throws: { error in
            (error as? ConfigError)?.line == 3
        }
    }
}
