import Foundation

/// One libcurl easy handle kept from transfer to transfer, so libcurl keeps
/// the server connection open, and the serial queue every transfer on it
/// runs on: libcurl blocks, so never on Swift's cooperative threads. The
/// SMTP transport and the IMAP mailbox each own one.
final class CurlConnection: @unchecked Sendable {
    // @unchecked: `easy` is touched only on `queue`.
    private let queue: DispatchQueue
    private let configure: @Sendable (CurlEasy) throws(DeliveryError) -> Void
    private var easy: CurlEasy?

    /// A connection whose handle `configure` sets up when first made.
    init(label: String, configure: @escaping @Sendable (CurlEasy) throws(DeliveryError) -> Void) {
        queue = DispatchQueue(label: label)
        self.configure = configure
    }

    /// Runs `transfer` on the queue with the handle, made on first use.
    /// - Parameter dropOnFailure: make a new handle after a failed transfer
    ///   rather than let libcurl decide whether the connection lives.
    func run<T: Sendable>(dropOnFailure: Bool = false, _ transfer: @escaping @Sendable (CurlEasy) throws(DeliveryError) -> T)
    async throws(DeliveryError) -> T {
        let result: Result<T, DeliveryError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(DeliveryError) {
                    let curl = try self.handle()
                    do throws(DeliveryError) {
                        continuation.resume(returning: .success(try transfer(curl)))
                    } catch {
                        if dropOnFailure { self.easy = nil }
                        throw error
                    }
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Closes the connection; the next transfer opens a new one.
    func close() async {
        await withCheckedContinuation { continuation in
            queue.async {
                self.easy = nil
                continuation.resume()
            }
        }
    }

    /// Runs on `queue`.
    private func handle() throws(DeliveryError) -> CurlEasy {
        if let easy { return easy }
        let curl = try CurlEasy()
        try configure(curl)
        easy = curl
        return curl
    }
}
