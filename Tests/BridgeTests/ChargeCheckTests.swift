import Bridge
import JobberSimulator
import JobberTestSupport
import PosPlusCore
import Testing

/// The charge check against the Jobber simulator: the first read, and the re-read right
/// before money moves that catches a payment recorded in Jobber in between.
@Suite("Charge check against Jobber")
struct ChargeCheckTests {
    func usd(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .usd) }

    @Test func aClientWithSeveralOpenInvoicesMustNameOne() async throws {
        let jobber = try await SimulatedJobber.start()
        let check = ChargeCheck(invoices: jobber.invoices, rules: ChargeGuard())
        let ada = ChargeCheck<RecordingClock>.Target.client(id: Seed.IDs.ada.value, name: "Ada Lovelace", invoiceNumber: nil)
        await #expect {
            try await check.approve(ada, charge: ProposedCharge(amount: usd(460), intent: .fullBalance))
        } throws: { "\($0)".hasPrefix("Ada Lovelace has 3 open invoices; say which one to charge: #1043") }
        let named = ChargeCheck<RecordingClock>.Target.client(id: Seed.IDs.ada.value, name: "Ada Lovelace", invoiceNumber: "1042")
        #expect(try await check.approve(named, charge: ProposedCharge(amount: usd(460), intent: .fullBalance)).number == "1042")
        let bakery = ChargeCheck<RecordingClock>.Target.client(id: Seed.IDs.bakery.value, name: "Bletchley Bakery", invoiceNumber: nil)
        #expect(try await check.approve(bakery, charge: ProposedCharge(amount: usd(31_000), intent: .fullBalance)).number == "1060")
        await jobber.stop()
    }

    @Test func aDraftIsRefusedWithTheMessageStaffRead() async throws {
        let jobber = try await SimulatedJobber.start()
        let check = ChargeCheck(invoices: jobber.invoices, rules: ChargeGuard())
        await #expect(throws: ChargeCheckError.refused(.draft(invoice: "1041"))) {
            try await check.approve(.invoiceNumber("1041"), charge: ProposedCharge(amount: usd(25_000), intent: .fullBalance))
        }
        await jobber.stop()
    }

    @Test func aPaymentRecordedInJobberBeforeTheChargeStopsIt() async throws {
        let jobber = try await SimulatedJobber.start()
        let check = ChargeCheck(invoices: jobber.invoices, rules: ChargeGuard())
        let charge = ProposedCharge(amount: usd(123_456), intent: .fullBalance)
        let approved = try await check.approve(.invoiceNumber("1043"), charge: charge)
        #expect(try await check.confirm(charge, approved: approved) == approved)  // nothing changed: go ahead
        _ = await jobber.simulator.recordPayment(invoice: Seed.IDs.invoice(1043), cents: 100_000)  // the office took a cheque
        await #expect {
            try await check.confirm(charge, approved: approved)
        } throws: {
            "\($0)"
                == "Invoice #1043 changed in Jobber since it was checked (past due, $1,234.56 due → past due, $234.56 due); nothing was charged — check it again."
        }
        await jobber.stop()
    }
}
