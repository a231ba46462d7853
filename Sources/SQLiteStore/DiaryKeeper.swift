import GRDB
import Store
import Synchronization

/// Keeps the busy diary of one ingest for the next, so a hundred small
/// files read each mediator's days once, as one large file does. It is
/// handed on only when the ingest committed and no other process has
/// written since (SQLite's `data_version`, read on the writing connection,
/// moves with another connection's commit and never with its own).
final class DiaryKeeper: Sendable {
    private struct Kept: @unchecked Sendable {
        // @unchecked: the diary is used only inside write transactions,
        // one at a time on GRDB's writer, and handed over under the lock.
        var diary: BusyDiary?
        var zone = ""
        var version = -1
        var inUse: (BusyDiary, version: Int, zone: String)?
    }

    private let kept = Mutex(Kept())

    /// The kept diary if it still says what the database holds; otherwise
    /// an empty one. Called in the write transaction.
    func take(zone: String, _ db: Database) throws -> BusyDiary {
        let version = try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        return kept.withLock { kept in
            let diary = kept.diary.flatMap { kept.zone == zone && kept.version == version ? $0 : nil } ?? BusyDiary(zone: zone)
            kept.diary = nil
            kept.inUse = (diary, version, zone)
            return diary
        }
    }

    /// The ingest committed: its diary, with its own changes, is right.
    func committed() {
        kept.withLock { kept in
            guard let (diary, version, zone) = kept.inUse else { return }
            kept = Kept(diary: diary, zone: zone, version: version)
        }
    }

    /// The ingest rolled back: its diary holds changes that never were.
    func rolledBack() { kept.withLock { $0 = Kept() } }
}
