import Foundation
import Ledger
import PosPlusCore
import Reconcile
import Terminal

/// The terminals' side of a reconcile run: every record of each terminal's open batch, listed
/// by record number (a terminal keeps only its open batch; after a batch close the host has
/// it). Every configured terminal is listed — a sale rung up on its keypad has no posplus
/// payment to lead to it — plus any terminal reached by address that took a payment in the
/// window. A terminal that cannot be reached is named in a note and its payments not compared.
struct TerminalBatchReading: Sendable {
    let configured: @Sendable () -> [TerminalChannel]
    let channelThatTook: @Sendable (PaymentRecord) throws -> any PaymentChannel
    let processorChannels: Set<String>

    /// The approved, unvoided records of the listed terminals, and the references of the
    /// ledger's open-batch payments on them (the ones this listing can vouch for).
    func read(_ facts: [ReconcilePaymentFacts], only: String?, gaps: inout [String]) async -> ([TerminalRecord], Set<String>) {
        var channels: [String: TerminalChannel] = [:]
        for channel in configured() { channels[channel.name] = channel }
        let open = facts.filter { !processorChannels.contains($0.payment.channel) && $0.payment.batchClosedAt == nil }
        for fact in open where channels[fact.payment.channel] == nil {
            if let channel = try? channelThatTook(fact.payment) as? TerminalChannel { channels[fact.payment.channel] = channel }
        }
        if let only {
            channels = channels.filter { $0.key == only }
            if channels.isEmpty { gaps.append("no terminal named \(only) is configured or took a payment in this window") }
        }
        var records: [TerminalRecord] = []
        var listed: Set<String> = []
        for (name, channel) in channels.sorted(by: { $0.key < $1.key }) {
            do {
                for record in try await channel.batchRecords() where record.approved && !record.voided {
                    let kind: TerminalRecord.Kind =
                        switch record.kind {
                        case .refund: .refund
                        case .void: .void
                        default: .charge
                        }
                    records.append(
                        TerminalRecord(
                            terminal: name, reference: record.reference?.rawValue ?? "#\(record.terminalRecordNumber)", approved: true,
                            amount: record.approvedAmount, date: record.recordedAt, kind: kind))
                }
                listed.insert(name)
            } catch {
                gaps.append("terminal \(name) not read: \(error)")
            }
        }
        for fact in open where channels[fact.payment.channel] == nil && (only == nil || only == fact.payment.channel) {
            gaps.append("terminal \(fact.payment.channel) not read: it is not a configured terminal and no address was recorded")
        }
        let asked = Set(open.filter { listed.contains($0.payment.channel) }.compactMap(\.reference))
        return (records, asked)
    }

    /// A terminal's open batch can span several days: its records from before the window, or
    /// of a ledger payment made before it, were compared in the run for their own window.
    static func inWindow(_ records: [TerminalRecord], since: Date, facts: [ReconcilePaymentFacts], ledger: Ledger) throws
        -> [TerminalRecord]
    {
        let inWindow = Set(facts.compactMap(\.reference) + facts.flatMap { $0.reversals.compactMap(\.reference) })
        return try records.filter { record in
            if inWindow.contains(record.reference) { return true }
            if let date = record.date, date < since { return false }
            guard let reference = try? PaymentReference(record.reference) else { return true }  // keyed on the terminal
            return try ledger.payment(reference: reference) == nil
        }
    }
}
