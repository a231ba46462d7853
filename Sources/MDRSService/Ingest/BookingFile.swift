import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MediationDomain

/// Reads a booking file safely: only a regular file (a symbolic link, a
/// folder, a FIFO or a device is refused without blocking on it), and only
/// up to a size checked on the open descriptor before anything is read.
enum BookingFile {
    /// The file's bytes.
    /// - Throws: ``BookingFileError`` naming the file, for a file that is
    ///   not a regular file, too large or unreadable.
    static func read(_ url: URL, maxBytes: Int) throws(BookingFileError) -> Data {
        let name = url.lastPathComponent
        func refuse(_ message: String) -> BookingFileError {
            BookingFileError([BookingError(file: name, record: 1, reference: nil, field: "(file)", message: message)])
        }
        // O_NOFOLLOW: a link renamed into the spool is never followed (it
        // could point at a file only root may read). O_NONBLOCK: opening a
        // FIFO does not wait for a writer.
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw refuse(errno == ELOOP ? "is a symbolic link; only regular files are taken" : "cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw refuse("cannot be read: \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let kind = switch info.st_mode & S_IFMT {
            case S_IFDIR: "a folder"
            case S_IFIFO: "a FIFO"
            case S_IFCHR, S_IFBLK: "a device"
            case S_IFSOCK: "a socket"
            default: "not a regular file"
            }
            throw refuse("is \(kind); only regular files are taken")
        }
        guard Int(info.st_size) <= maxBytes else {
            throw refuse("is \(info.st_size) bytes; the limit is \(maxBytes) (spool.max_file_bytes)")
        }
        var data = Data(count: Int(info.st_size))
        var total = 0
        while total < data.count {
            let count = data.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + total, $0.count - total) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            total += count
        }
        guard total == data.count else { throw refuse("changed while it was read (\(total) of \(data.count) bytes); write it aside and rename it in") }
        return data
    }
}
