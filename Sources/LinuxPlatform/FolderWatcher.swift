#if canImport(Glibc)
import CLinuxEvents
public import Foundation
import Glibc
import Synchronization

/// Tells when files in a folder change, with inotify. For the spool: a file
/// renamed in (`IN_MOVED_TO`) or closed after writing (`IN_CLOSE_WRITE`), so
/// only complete files are seen. No polling; the blocking read runs on a
/// queue of its own. When the folder itself is removed, moved away or
/// unmounted, ``next()`` says so, and ``watchAgain()`` watches what is at
/// its path then.
public final class FolderWatcher: @unchecked Sendable {
    // @unchecked: descriptors are fixed after init; `next()` has one
    // caller; the watch is an atomic, and adding one beside a read is safe.
    private let inotify: Int32
    /// The current watch; events of an ended one are ignored.
    private let watch = Atomic<Int32>(-1)
    private let stopper: Int32
    private let queue = DispatchQueue(label: "mdrsd.watch")
    private let folder: URL
    private let events: UInt32

    /// What ``next()`` saw.
    public enum Change: Sendable, Equatable {
        /// Files changed: their names.
        case files([String])
        /// The folder is gone, and its watch with it (``watchAgain()``).
        case folderGone
    }

    /// Files completed in a folder: written and closed, or renamed in.
    public static let completedFiles = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO)
    /// Any write to a file in the folder.
    public static let modifiedFiles = UInt32(IN_MODIFY)

    public init(folder: URL, events: UInt32 = completedFiles) throws {
        self.folder = folder
        self.events = events
        inotify = inotify_init1(Int32(IN_CLOEXEC))
        stopper = eventfd(0, Int32(EFD_CLOEXEC))
        guard inotify >= 0, stopper >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        try watchAgain()
    }

    /// Watches the folder (again, once it is back after ``Change/folderGone``).
    public func watchAgain() throws {
        let added = inotify_add_watch(inotify, folder.path, events | UInt32(IN_MOVE_SELF))
        guard added >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        watch.store(added, ordering: .sequentiallyConsistent)
    }

    deinit {
        close(inotify)
        close(stopper)
    }

    /// Ends a current or the next ``next()`` with `nil`.
    public func stop() {
        var one: UInt64 = 1
        _ = write(stopper, &one, 8)
    }

    /// The files changed since the last call, or the folder's end; `nil`
    /// once stopped.
    public func next() async -> Change? {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.block()) }
        }
    }

    private func block() -> Change? {
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: stopper, events: Int16(POLLIN), revents: 0)]
        while poll(&fds, 2, -1) < 0 && errno == EINTR {}
        if fds[1].revents & Int16(POLLIN) != 0 { return nil }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = read(inotify, &buffer, buffer.count)
        guard count > 0 else { return .files([]) }
        var names: [String] = []
        var gone = false
        var offset = 0
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= count {
            let descriptor = buffer.withUnsafeBytes { $0.load(fromByteOffset: offset, as: Int32.self) }
            let mask = buffer.withUnsafeBytes { $0.load(fromByteOffset: offset + 4, as: UInt32.self) }
            let length = buffer.withUnsafeBytes { Int($0.load(fromByteOffset: offset + 12, as: UInt32.self)) }
            if descriptor == watch.load(ordering: .sequentiallyConsistent) {
                // The kernel ends a watch whose folder is deleted or
                // unmounted; one moved away is followed, so it is ended here.
                if mask & UInt32(IN_MOVE_SELF) != 0 {
                    inotify_rm_watch(inotify, descriptor)
                    watch.store(-1, ordering: .sequentiallyConsistent)
                    gone = true
                }
                if mask & UInt32(IN_IGNORED) != 0 {
                    watch.store(-1, ordering: .sequentiallyConsistent)
                    gone = true
                }
            }
            if length > 0 {
                let bytes = buffer[(offset + header)..<(offset + header + length)]
                names.append(String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self))
            }
            offset += header + length
        }
        return gone ? .folderGone : .files(names)
    }
}
#endif
