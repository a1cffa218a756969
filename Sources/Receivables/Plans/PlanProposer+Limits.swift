import PosPlusCore

extension PlanProposer.Proposal {
    /// The proposal without the options that have an instalment the charge limits
    /// (`charges.minimum`, `charges.maximum`) would refuse when it falls due: a plan that can
    /// never be charged must not be agreed with the client. The reason says what was left out.
    public func keeping(within limits: ChargeLimits) -> PlanProposer.Proposal {
        func fits(_ amount: Money) -> Bool {
            if let minimum = limits.minimum, minimum.currency == amount.currency, amount.minorUnits < minimum.minorUnits { return false }
            if let maximum = limits.maximum, maximum.currency == amount.currency, amount.minorUnits > maximum.minorUnits { return false }
            return true
        }
        let kept = options.filter { $0.instalments.allSatisfy { fits($0.amount) } }
        guard kept.count < options.count else { return self }
        let bounds = [limits.minimum.map { "under \($0.formatted)" }, limits.maximum.map { "over \($0.formatted)" }].compactMap { $0 }
        let note =
            kept.isEmpty
            ? " But every plan has an instalment \(bounds.joined(separator: " or ")), which the charge limits refuse; none is offered."
            : " Options with an instalment \(bounds.joined(separator: " or ")) (the charge limits) are left out."
        return PlanProposer.Proposal(invoiceNumber: invoiceNumber, balance: balance, options: kept, reason: reason + note)
    }
}
