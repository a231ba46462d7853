import Foundation
import LinuxPlatform
import NIOCore
import PostgresNIO
public import Store
import Synchronization

/// How instances tell each other of jobs: a NOTIFY on one channel, sent in
/// the transaction that made the jobs wait (so it goes at commit, or not at
/// all), naming each job and its due time — or `*`, read them again, when
/// too many for one message.
enum Changes {
    static let channel = "mdrsd_jobs"
    /// PostgreSQL's payload limit is 8000 bytes.
    private static let longest = 7_000

    static func payload(_ jobs: [ScheduledJob]) -> String {
        var text = ""
        for job in jobs {
            if text.utf8.count > longest { return "*" }
            if !text.isEmpty { text += "," }
            text += "\(job.id):\(StoredValue.seconds(job.due))"
        }
        return text
    }

    static func change(_ payload: String) -> StoreChange {
        var jobs: [ScheduledJob] = []
        for item in payload.split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let id = Int64(parts[0]), let due = Int64(parts[1]) else { return .jobs }
            jobs.append(ScheduledJob(id: id, due: StoredValue.date(due)))
        }
        return jobs.isEmpty ? .jobs : .scheduled(jobs)
    }
}

extension PostgresStore {
    /// Listens on its own connection. After a lost connection it listens
    /// again (at most every 5 seconds) and says `.jobs`, since a message
    /// may have gone by unheard.
    public func externalChanges() throws(StoreError) -> AsyncStream<StoreChange> {
        let connections = self.connections
        let current = Listening()
        return AsyncStream { continuation in
            let task = Task {
                var first = true
                while !Task.isCancelled {
                    do {
                        let connection = try await connections.dedicated()
                        current.set(connection)
                        try await connection.listen(on: Changes.channel) { notifications in
                            if !first { continuation.yield(.jobs) }
                            first = false
                            for try await notification in notifications { continuation.yield(Changes.change(notification.payload)) }
                        }
                    } catch {
                        first = false
                    }
                    try? await current.take()?.close()
                    guard !Task.isCancelled else { break }
                    try? await Pause.sleep(for: .seconds(5))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in
                task.cancel()
                // Kept until closed: a connection may not go while open.
                if let connection = current.take() { connection.close().whenComplete { _ in withExtendedLifetime(connection) {} } }
            }
        }
    }
}

/// The connection a listener is on, so stopping it can close it.
private final class Listening: Sendable {
    private let connection = Mutex<PostgresConnection?>(nil)
    func set(_ new: PostgresConnection) { connection.withLock { $0 = new } }
    func take() -> PostgresConnection? { connection.withLock { current in defer { current = nil }; return current } }
}
