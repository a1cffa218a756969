import Bridge
import Foundation

/// The crash test's seam: `POSPLUS_TEST_KILL_AT=answered` (any ``PaymentStep``) makes the
/// process SIGKILL itself the moment a payment passes that step boundary — exactly what a
/// power cut or `kill -9` there would do, at a point the test chose. Unset in normal use.
enum CrashPoint {
    static let variable = "POSPLUS_TEST_KILL_AT"

    static func fromEnvironment() -> (@Sendable (PaymentStep) -> Void)? {
        guard let text = ProcessInfo.processInfo.environment[variable], let target = PaymentStep(rawValue: text) else { return nil }
        return { step in
            if step == target { kill(getpid(), SIGKILL) }
        }
    }
}
