/// Why a Stripe webhook was refused; never quotes the body.
///
/// Kept free of imports so the libFuzzer target (`make fuzz`) can compile it with the header
/// parser, without the rest of the module.
public enum StripeWebhookError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingSignature
    /// No usable `t=` (a Unix time in whole seconds) and `v1=` (64 hex digits), or more `v1`
    /// values than a secret rotation ever produces.
    case malformedSignature
    case noMatchingSignature
    /// `t` is further from now than the tolerance, in the past (positive age, a replay?) or in the
    /// future (negative age, a clock far off).
    case stale(age: Int)
    case malformedBody(String)

    /// The case's name: a fixed, short key for counting refusals (the description varies).
    public var kind: String {
        switch self {
        case .missingSignature: return "missingSignature"
        case .malformedSignature: return "malformedSignature"
        case .noMatchingSignature: return "noMatchingSignature"
        case .stale: return "stale"
        case .malformedBody: return "malformedBody"
        }
    }

    public var description: String {
        switch self {
        case .missingSignature: return "no Stripe-Signature header"
        case .malformedSignature:
            return "the Stripe-Signature header is not t=<Unix time>,v1=<64 hex digits> (with at most a few v1 values)"
        case .noMatchingSignature: return "no v1 signature matches the body (forged, altered, or signed with another secret)"
        case .stale(let age) where age < 0:
            return "the signature is dated \(age.magnitude) s in the future, beyond the tolerance (is this machine's clock right?)"
        case .stale(let age): return "the signature is \(age) s old, beyond the tolerance (a replay?)"
        case .malformedBody(let reason): return "the body is not a Stripe event: \(reason)"
        }
    }
}
