public import Foundation

/// Paths the tests need: the package, its built executables and the Python
/// that has the test servers (`make test` sets MDRSD_TEST_PYTHON).
public enum TestEnvironment {
    /// The package's root folder.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Python interpreter with aiosmtpd and icalendar.
    public static var python: String {
        ProcessInfo.processInfo.environment["MDRSD_TEST_PYTHON"]
            ?? packageRoot.appendingPathComponent(".build/pyenv/bin/python").path
    }

    /// The folder `swift test` built the products into (beside the test bundle).
    public static var productsFolder: URL {
        var url = Bundle.main.bundleURL
        while url.path != "/" {
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("mdrsd").path) { return url }
            url.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }

    /// Runs `body` on a thread of its own and returns its result: a test
    /// blocked on a pipe, a socket or a child must not hold one of the few
    /// threads every test in the process shares.
    public static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// A product `swift test` built, e.g. `mdrsd`.
    public static func executable(_ name: String) -> URL { productsFolder.appendingPathComponent(name) }

    /// The shipped templates.
    public static var templates: URL { packageRoot.appendingPathComponent("Config/templates") }

    /// The shipped config.
    public static var config: URL { packageRoot.appendingPathComponent("Config/mdrsd.toml") }

    /// Polls `condition` every 50 ms until it holds, for at least `seconds`.
    ///
    /// The limit counts polls, not wall time: while CPU-bound tests hold
    /// the few threads every test shares, neither the poller nor what it
    /// waits for runs, and a wall-clock limit would end before either had a
    /// turn. A poll that comes late costs one poll.
    public static func eventually(seconds: Double = 20, _ condition: () throws -> Bool) async rethrows -> Bool {
        for _ in 0..<polls(seconds) {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try condition()
    }

    /// Polls an async `condition` as the synchronous one above does.
    public static func eventually(seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
        for _ in 0..<polls(seconds) {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    private static func polls(_ seconds: Double) -> Int { max(Int((seconds / 0.05).rounded(.up)), 1) }
}

/// A new empty folder under the system's temporary folder, removed with
/// everything in it when the last reference goes.
public final class TemporaryFolder: @unchecked Sendable {
    // @unchecked: `url` is immutable; the folder is only removed in deinit.
    public let url: URL

    /// A folder named after `label`.
    public init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mdrsd-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the folder.
    public func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: url) }
}
