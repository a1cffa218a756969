/// What a staff member is at the business, which decides what they may do (``Permission``).
///
/// The raw values are what `posplus staff add --role` takes and what the ledger stores.
public enum StaffRole: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// In the field: sends payment links and sees their own.
    case technician
    /// At the counter: charges, voids and refunds (under the approval thresholds), saved cards.
    case frontDesk = "front-desk"
    /// Everything the front desk does, and approves what is over a threshold.
    case manager
    /// Everything, including the configuration and the staff list.
    case owner

    public var description: String { rawValue }

    /// What this role may do. One explicit list per role (not derived by inheritance), so a
    /// reader sees each role's whole power in one place and a change to one role cannot widen
    /// another by accident; a test checks each role holds at least the one below it.
    public var permissions: Set<Permission> {
        switch self {
        case .technician:
            [.lookUpInvoices, .sendLinks, .viewOwnLinks]
        case .frontDesk:
            [
                .lookUpInvoices, .sendLinks, .viewOwnLinks, .viewAllLinks, .chargeCard, .void, .refund, .manageCards,
                .viewPayments, .viewTerminals,
            ]
        case .manager:
            [
                .lookUpInvoices, .sendLinks, .viewOwnLinks, .viewAllLinks, .chargeCard, .void, .refund, .manageCards,
                .viewPayments, .viewTerminals, .approve, .viewReports,
            ]
        case .owner:
            Set(Permission.allCases)
        }
    }

    public func may(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// The roles, as `--role` lists them.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// One thing a staff member may do through the API or the console.
///
/// A permission says whether someone may *ask*; amounts are not part of it. A refund or void
/// over an approval threshold is still asked for by the front desk, and waits for a manager
/// (`ApprovalPolicy`, part of the approvals work).
public enum Permission: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// Look up invoices and quotes in Jobber (to charge, or to send a link).
    case lookUpInvoices
    /// Send a payment link by text or email.
    case sendLinks
    /// See the links one sent oneself.
    case viewOwnLinks
    /// See every link, whoever sent it.
    case viewAllLinks
    /// Charge on a counter terminal or a saved card (every kind: sale, keyed, deposit, ACH).
    case chargeCard
    /// Ask to void a payment.
    case void
    /// Ask to refund a payment, in part or whole.
    case refund
    /// Save, list and remove cards on file.
    case manageCards
    /// See payments and receipts.
    case viewPayments
    /// See terminals and their health.
    case viewTerminals
    /// Approve or deny what waits for a manager.
    case approve
    /// See the reconcile report and the audit trail.
    case viewReports
    /// Change settings.
    case configure
    /// Add, disable and reset staff; issue and revoke API tokens for others.
    case manageStaff

    public var description: String { rawValue }
}
