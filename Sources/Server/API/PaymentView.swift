import Bridge
import Ledger
import PosPlusCore

/// A payment as the API shows it: Bridge's shared view with the API's amounts (exact minor
/// units, decimal text and the formatted text).
typealias PaymentView = Bridge.PaymentView<AmountView>

extension Bridge.PaymentView where Amount == AmountView {
    init(_ payment: PaymentRecord, attempts: [AttemptRecord]? = nil, disputes: [DisputeRecord] = []) {
        self.init(payment, attempts: attempts, disputes: disputes, amount: AmountView.init)
    }
}
