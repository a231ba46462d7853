#if canImport(Glibc)
import CLinuxEvents
public import Foundation
import Glibc

/// Tells when files in a folder change, with inotify. For the spool: a file
/// renamed in (`IN_MOVED_TO`) or closed after writing (`IN_CLOSE_WRITE`), so
/// only complete files are seen. No polling; the blocking read runs on a
/// queue of its own.
public final class FolderWatcher: @unchecked Sendable {
    // @unchecked: descriptors are fixed after init; `next()` has one caller.
    private let inotify: Int32
    private let stopper: Int32
    private let queue = DispatchQueue(label: "mdrsd.watch")

    /// Files completed in a folder: written and closed, or renamed in.
    public static let completedFiles = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO)
    /// Any write to a file in the folder.
    public static let modifiedFiles = UInt32(IN_MODIFY)

    public init(folder: URL, events: UInt32 = completedFiles) throws {
        inotify = inotify_init1(Int32(IN_CLOEXEC))
        stopper = eventfd(0, Int32(EFD_CLOEXEC))
        guard inotify >= 0, stopper >= 0, inotify_add_watch(inotify, folder.path, events) >= 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
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

    /// The names of files changed since the last call; `nil` once stopped.
    public func next() async -> [String]? {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.block()) }
        }
    }

    private func block() -> [String]? {
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: stopper, events: Int16(POLLIN), revents: 0)]
        while poll(&fds, 2, -1) < 0 && errno == EINTR {}
        if fds[1].revents & Int16(POLLIN) != 0 { return nil }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = read(inotify, &buffer, buffer.count)
        guard count > 0 else { return [] }
        var names: [String] = []
        var offset = 0
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= count {
            let length = buffer.withUnsafeBytes { Int($0.load(fromByteOffset: offset + 12, as: UInt32.self)) }
            if length > 0 {
                let bytes = buffer[(offset + header)..<(offset + header + length)]
                names.append(String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self))
            }
            offset += header + length
        }
        return names
    }
}
#endif
