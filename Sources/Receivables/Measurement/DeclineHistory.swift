import Foundation
import PosPlusCore

/// A year of a small home-service business's declines, generated from a seed.
///
/// **This is a model, not measured data.** Its assumptions, stated so they can be argued with:
/// - About 20 declines a month (240 a year), spread evenly over the year, at counter hours
///   (08:00–20:00 local) except saved-card charges, a fifth of which run from an overnight batch.
/// - Amounts from $40.00 to $1,500.00, uniformly, in whole cents.
/// - Where they happen: 45 % saved cards charged off-session, 25 % counter terminal,
///   15 % payment links, 15 % ACH debits.
/// - 70 % of card declines are soft (industry write-ups on dunning put it at 70–90 %), 2 % of
///   all declines arrive with a code posplus does not know (truly soft half the time).
/// - Soft, insufficient funds: 75 % of those cards work again from the next payday, 1 to 7 days
///   away (uniform), for 3 to 7 days, after which the money is spent again.
/// - Soft, do not honor: 40 % work again from day 1 to 3, for a week.
/// - Soft, issuer unavailable / processing error / try again later: 90 % work from day 1 on.
/// - Hard: the same card never works again, whatever is tried.
/// - Links: 40 % of soft-declined customers pay through the link, on day 0 to 10; 60 % of
///   hard-declined ones do, on day 0 to 7 (they know the card is gone). The link is the same
///   in every strategy evaluated, so the strategies differ only in how they retry.
public enum DeclineHistory {
    public static func generate(seed: UInt64, year: Int = 2026, count: Int = 240, timeZone: TimeZone) -> [SimulatedDecline] {
        var random = SplitMix64(seed: seed)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let newYear = calendar.date(from: DateComponents(year: year, month: 1, day: 1))!
        return (0..<count).map { id in
            let source = Source.draw(&random)
            let truth = draw(truthFor: source, &random)
            let unknownCode = Int.random(in: 0..<100, using: &random) < 2
            var hour = Int.random(in: 8..<20, using: &random)
            if source == .savedCard, Int.random(in: 0..<5, using: &random) == 0 { hour = Int.random(in: 1..<5, using: &random) }
            let day = calendar.date(byAdding: .day, value: Int.random(in: 0..<365, using: &random), to: newYear)!
            let at = calendar.date(bySettingHour: hour, minute: Int.random(in: 0..<60, using: &random), second: 0, of: day)!
            let soft = truth.severity == .soft
            let linkPays = Int.random(in: 0..<100, using: &random) < (soft ? 40 : 60)
            return SimulatedDecline(
                id: id, declinedAt: at, amountMinor: Int64.random(in: 4_000...150_000, using: &random),
                evidence: unknownCode ? source.unknownEvidence : source.evidence(for: truth), truth: truth,
                sameCardRecovers: recovery(for: truth, &random),
                paysByLinkOnDay: linkPays ? Int.random(in: 0...(soft ? 10 : 7), using: &random) : nil)
        }
    }

    static func draw(truthFor source: Source, _ random: inout SplitMix64) -> DeclineReason {
        if source == .ach {
            return pick([(.insufficientFunds, 60), (.accountClosed, 15), (.invalidAccount, 10), (.notAuthorized, 15)], &random)
        }
        if Int.random(in: 0..<100, using: &random) < 70 {
            return pick(
                [(.insufficientFunds, 50), (.doNotHonor, 25), (.issuerUnavailable, 10), (.processingError, 8), (.tryAgainLater, 7)],
                &random)
        }
        return pick(
            [(.expired, 35), (.lostOrStolen, 20), (.invalidAccount, 15), (.fraud, 10), (.authenticationRequired, 20)], &random)
    }

    static func recovery(for truth: DeclineReason, _ random: inout SplitMix64) -> Range<Int>? {
        func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
        switch truth {
        case .insufficientFunds:
            guard chance(75) else { return nil }
            let payday = Int.random(in: 1...7, using: &random)
            return payday..<(payday + Int.random(in: 3...7, using: &random))
        case .doNotHonor:
            guard chance(40) else { return nil }
            let from = Int.random(in: 1...3, using: &random)
            return from..<(from + 7)
        case .issuerUnavailable, .processingError, .tryAgainLater, .withdrawalLimit:
            return chance(90) ? 1..<31 : nil
        default:
            return nil
        }
    }

    static func pick(_ weighted: [(DeclineReason, Int)], _ random: inout SplitMix64) -> DeclineReason {
        var roll = Int.random(in: 0..<weighted.reduce(0) { $0 + $1.1 }, using: &random)
        for (reason, weight) in weighted {
            if roll < weight { return reason }
            roll -= weight
        }
        return weighted[weighted.count - 1].0
    }

    enum Source: Equatable {
        case savedCard, terminal, link, ach

        static func draw(_ random: inout SplitMix64) -> Source {
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<45: return .savedCard
            case 45..<70: return .terminal
            case 70..<85: return .link
            default: return .ach
            }
        }

        /// The code each source sends for a reason: the same spellings the classifier reads.
        func evidence(for truth: DeclineReason) -> DeclineEvidence {
            switch self {
            case .savedCard, .link:
                return .card(code: "card_declined", declineCode: Self.stripe[truth], via: self == .link ? .link : .savedCard)
            case .terminal:
                return .terminal(resultCode: "000100", message: "DECLINE: " + (Self.host[truth] ?? ""))
            case .ach:
                return .bankReturn(code: Self.nacha[truth] ?? "R99")
            }
        }

        var unknownEvidence: DeclineEvidence {
            switch self {
            case .savedCard: return .card(code: "card_declined", declineCode: "brand_new_code", via: .savedCard)
            case .link: return .card(code: "card_declined", declineCode: "brand_new_code", via: .link)
            case .terminal: return .terminal(resultCode: "000100", message: "DECLINE: CALL CENTER 7")
            case .ach: return .bankReturn(code: "R99")
            }
        }

        static let stripe: [DeclineReason: String] = [
            .insufficientFunds: "insufficient_funds", .doNotHonor: "do_not_honor", .issuerUnavailable: "issuer_not_available",
            .processingError: "processing_error", .tryAgainLater: "try_again_later", .expired: "expired_card",
            .lostOrStolen: "stolen_card", .invalidAccount: "incorrect_number", .fraud: "fraudulent",
            .authenticationRequired: "authentication_required",
        ]
        static let host: [DeclineReason: String] = [
            .insufficientFunds: "INSUFFICIENT FUNDS", .doNotHonor: "DO NOT HONOR", .issuerUnavailable: "ISSUER UNAVAILABLE",
            .processingError: "SYSTEM ERROR", .tryAgainLater: "TRY AGAIN", .expired: "EXPIRED CARD", .lostOrStolen: "LOST CARD",
            .invalidAccount: "INVALID CARD", .fraud: "SUSPECTED FRAUD", .authenticationRequired: "RESTRICTED",
        ]
        static let nacha: [DeclineReason: String] = [
            .insufficientFunds: "R01", .accountClosed: "R02", .invalidAccount: "R03", .notAuthorized: "R10",
        ]
    }
}
