import CCurl
import Foundation

/// Idle libcurl handles, kept so the next request can reuse a handle's open connection (and
/// its TLS session) instead of connecting again: the way a browser or the Python SDK's session
/// talks to one API. A handle is used by one transfer at a time; `curl_easy_reset` clears its
/// options between uses but keeps its connection cache.
final class CurlHandlePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [OpaquePointer] = []
    private let capacity: Int

    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    deinit {
        for handle in idle { curl_easy_cleanup(UnsafeMutableRawPointer(handle)) }
    }

    /// A handle with default options, reused when one is idle.
    func take() -> UnsafeMutableRawPointer? {
        if let handle = lock.withLock({ idle.popLast() }) {
            let raw = UnsafeMutableRawPointer(handle)
            curl_easy_reset(raw)
            return raw
        }
        return curl_easy_init()
    }

    /// Gives a handle back after a transfer; beyond `capacity` it is closed.
    func give(_ handle: UnsafeMutableRawPointer, reusable: Bool) {
        let kept =
            reusable
            && lock.withLock {
                guard idle.count < capacity else { return false }
                idle.append(OpaquePointer(handle))
                return true
            }
        if !kept { curl_easy_cleanup(handle) }
    }
}
