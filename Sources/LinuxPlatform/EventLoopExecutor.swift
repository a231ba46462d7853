import NIOCore
import NIOPosix

/// Each of NIO's event loops as a task executor, so work can be spread
/// over them on purpose. A task started on an event loop stays there
/// ("sticky"), so jobs run side by side would otherwise share one core.
public final class EventLoopExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `loop` is immutable and itself thread-safe.
    private let loop: any EventLoop

    private init(_ loop: any EventLoop) { self.loop = loop }

    /// One executor for each loop of NIO's shared group.
    public static let all: [EventLoopExecutor] = MultiThreadedEventLoopGroup.singleton.makeIterator().map(EventLoopExecutor.init)

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
