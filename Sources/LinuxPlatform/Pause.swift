import NIOCore
import NIOPosix

/// Sleeps without libdispatch. `Task.sleep` parks the task on a timer of
/// a global dispatch queue, and the first such use starts libdispatch's
/// worker-pool monitor: a one-second timer that then wakes the process
/// every second for as long as it runs. A timer on one of NIO's event
/// loops fires once and leaves nothing behind.
public enum Pause {
    /// Sleeps for `duration`, or until the task is cancelled.
    /// - Throws: `CancellationError` when the task is cancelled first.
    public static func sleep(for duration: Duration) async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        let scheduled = loop.scheduleTask(in: .nanoseconds(max(nanoseconds, 0))) {}
        // A cancelled timer fails its future; the caller sees CancellationError.
        try? await withTaskCancellationHandler {
            try await scheduled.futureResult.get()
        } onCancel: {
            scheduled.cancel()
        }
        try Task.checkCancellation()
    }

    /// Makes NIO's event loops Swift concurrency's global executor, so no
    /// task runs on a libdispatch worker thread (see ``sleep(for:)``).
    /// Call it once, first thing in `main`, before any task starts.
    /// - Returns: whether it took over (it cannot on some platforms).
    @discardableResult
    public static func runTasksOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
