import Logging
import ServiceLifecycle
import UnixSignals

/// Catches SIGHUP (`systemctl reload`), whose default action would end the
/// daemon. Reloading the config in place is not built yet, so it says so
/// and keeps running; a restart applies a changed config.
struct HangUpService: Service {
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            logger.notice("SIGHUP received: reloading in place is not supported yet; restart mdrsd to apply config changes")
        }
    }
}
