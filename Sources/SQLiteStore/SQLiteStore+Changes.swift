import Foundation
import GRDB
import LinuxPlatform
public import Store

extension SQLiteStore {
    /// inotify reports writes to the database's files; SQLite's
    /// `data_version`, read on the writer connection, moves only for
    /// another connection's commit, so the daemon's own writes are ignored.
    public func externalChanges() throws(StoreError) -> AsyncStream<StoreChange> {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let watcher: FolderWatcher
        do {
            watcher = try FolderWatcher(folder: folder, events: FolderWatcher.modifiedFiles)
        } catch {
            throw StoreError(.unavailable, "cannot watch \(folder.path) for other writers: \(error)", cause: error)
        }
        let name = (path as NSString).lastPathComponent
        let pool = self.pool
        let counter = try? pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        return AsyncStream { continuation in
            let task = Task {
                var seen = counter ?? 0
                func version() async -> Int? {
                    try? await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
                }
                while let change = await watcher.next() {
                    // Without its folder the database is gone too; the
                    // daemon's next write says so.
                    guard case .files(let names) = change, names.contains(where: { $0.hasPrefix(name) }) else { continue }
                    // The writer's frames reach the WAL file (the inotify
                    // event) before its commit is published in the shared
                    // memory index, which raises no event: a commit read
                    // too early would be missed for good. Look again a
                    // moment later when the first look saw nothing.
                    var now = await version()
                    for pause in [20, 250] where now == seen || now == nil {
                        try? await Pause.sleep(for: .milliseconds(pause))
                        now = await version()
                    }
                    guard let now, now != seen else { continue }
                    seen = now
                    continuation.yield(.jobs)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in
                watcher.stop()
                task.cancel()
            }
        }
    }
}
