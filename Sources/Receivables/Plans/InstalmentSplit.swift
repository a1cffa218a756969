import PosPlusCore

/// How an amount owed is cut into instalments, exactly to the cent.
///
/// Why the remainder goes on the last instalment: the customer sees equal payments first, the
/// plan's parts always add up to the amount owed (never a cent more or less), and if the
/// invoice is paid off early the cent that did not divide is the one never charged.
public enum InstalmentSplit {
    /// `total` in `count` equal parts in minor units, the cents that do not divide on the last:
    /// $1,000.00 / 3 = $333.33, $333.33, $333.34.
    public static func equal(_ total: Money, into count: Int) throws(PlanError) -> [Money] {
        guard total.isPositive else { throw .notPositive(total) }
        guard (1...PlanLimits.maximumInstalments).contains(count) else { throw .instalmentCount(count) }
        let parts = Int64(count)
        let base = total.minorUnits / parts  // no overflow: a positive Int64 divided by 1...12
        guard base > 0 else { throw .tooFewCents(total, count: count) }
        let last = base + total.minorUnits % parts  // at most total: cannot overflow
        return Array(repeating: Money(minorUnits: base, currency: total.currency), count: count - 1)
            + [Money(minorUnits: last, currency: total.currency)]
    }

    /// A deposit of `share` of `total` now, rounded to the cent (half a cent up), and the rest
    /// later: 30% of $1,234.56 = $370.37 now and $864.19 later. The product is computed at
    /// double width, so even the largest amount cannot overflow on the way.
    public static func deposit(_ total: Money, share: Proportion) throws(PlanError) -> [Money] {
        guard total.isPositive else { throw .notPositive(total) }
        guard share.part > 0, share.part < share.whole else { throw .share(share.description) }
        let whole = Int64(share.whole)
        let product = total.minorUnits.multipliedFullWidth(by: Int64(share.part))
        // The quotient is below `total` (part < whole), so it fits in Int64.
        let (quotient, remainder) = whole.dividingFullWidth(product)
        let rounded = remainder >= whole - remainder ? quotient + 1 : quotient
        let now = rounded
        let later = total.minorUnits - now
        guard now > 0, later > 0 else { throw .tooFewCents(total, count: 2) }
        return [Money(minorUnits: now, currency: total.currency), Money(minorUnits: later, currency: total.currency)]
    }
}
