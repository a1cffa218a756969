import Ledger
import PosPlusCore

/// A request the approval thresholds stopped before anything was sent: it waits for a manager,
/// or a manager said no. Nothing was charged or given back.
public enum ApprovalHold: Error, CustomStringConvertible {
    case waiting(ApprovalRecord)
    case denied(ApprovalRecord)

    public var approval: ApprovalRecord {
        switch self {
        case .waiting(let record), .denied(let record): record
        }
    }

    public var description: String {
        switch self {
        case .waiting(let record):
            "Waiting for a manager: approval \(record.id) — \(record.summary). Why: \(record.reason). "
                + "Nothing has been sent; a manager approves it with `posplus approvals approve \(record.id)` or in the console, "
                + "and it then runs as asked."
        case .denied(let record):
            "\(record.decidedBy ?? "A manager") denied approval \(record.id) (\(record.summary))"
                + (record.note.map { ": \($0)" } ?? "") + ". Nothing was sent."
        }
    }
}
