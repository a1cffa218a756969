import Bridge

extension PosPlusApp {
    /// The payment service as the CLI runs it: the crash test's step observer attached when
    /// its environment variable asks for one.
    func cliPaymentService() throws -> PaymentService<ContinuousClock> {
        var service = try paymentService()
        service.stepObserver = CrashPoint.fromEnvironment()
        return service
    }
}
