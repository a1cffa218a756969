/// A part of a whole as two whole numbers ("9 of 10 invoices on time", "30 of 100 as a
/// deposit"). Never a Double: a rule that says "at least 8 of 10" must not fail on 0.7999….
public struct Proportion: Equatable, Sendable, CustomStringConvertible {
    public let part: Int
    public let whole: Int

    /// `part` of `whole`, both at least zero and `part` no more than `whole`; `whole` at most a
    /// million, so comparing two proportions by cross-multiplication cannot overflow.
    public init(_ part: Int, of whole: Int) throws(PlanError) {
        guard whole >= 0, whole <= 1_000_000, part >= 0, part <= whole else { throw .share("\(part) of \(whole)") }
        self.part = part
        self.whole = whole
    }

    /// For constants known to be in range.
    init(checked part: Int, of whole: Int) {
        precondition(whole >= 0 && part >= 0 && part <= whole && whole <= 1_000_000)
        self.part = part
        self.whole = whole
    }

    /// Nothing of nothing: no invoice has come due yet.
    public static let empty = Proportion(checked: 0, of: 0)

    /// A whole percentage, 0 to 100.
    public init(percent: Int) throws(PlanError) {
        try self.init(percent, of: 100)
    }

    /// Whether this is at least `other`; an empty whole (nothing counted) is below any minimum
    /// but an empty one.
    public func isAtLeast(_ other: Proportion) -> Bool {
        if other.part == 0 { return true }
        guard whole > 0 else { return false }
        return part * other.whole >= other.part * whole  // both sides at most 10^12
    }

    public var description: String { whole == 100 ? "\(part)%" : "\(part) of \(whole)" }
}
