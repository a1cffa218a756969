import PosPlusCore

/// Builders for the POSLink requests posplus sends (poslink.md §1.5–§1.10). Field orders
/// follow the public SDKs' builders; amounts are unsigned integer cents, up to 9 digits.
public enum POSLinkRequest {
    /// Command IDs. A reply's ID is the request's plus one (T00 → T01).
    public enum Command: String, Sendable, CaseIterable {
        case initialize = "A00"
        case cancel = "A14"
        case reset = "A16"
        case credit = "T00"
        case debit = "T02"
        case check = "T12"
        case localDetailReport = "R02"
        case batchClose = "B00"

        /// The ID of the reply to this command.
        public var replyID: String {
            let digits = Int(rawValue.dropFirst())! + 1
            return String(rawValue.prefix(1)) + (digits < 10 ? "0" : "") + String(digits)
        }
    }

    /// Transaction-type codes, the first payload field of T00/T02/T12 (§1.6).
    public enum TransactionType: String, Sendable, CaseIterable {
        case sale = "01"
        case `return` = "02"
        case auth = "03"
        case postAuth = "04"
        case void = "16"
        case voidSale = "17"
        case voidReturn = "18"
        case verify = "24"
        case tokenize = "32"
    }

    public static func initialize(version: String) -> POSLinkFrame {
        POSLinkFrame(fields: [Command.initialize.rawValue, version])
    }

    public static func cancel(version: String) -> POSLinkFrame {
        POSLinkFrame(fields: [Command.cancel.rawValue, version])
    }

    public static func reset(version: String) -> POSLinkFrame {
        POSLinkFrame(fields: [Command.reset.rawValue, version])
    }

    /// The parts of a T00/T02/T12 request.
    public struct Transaction: Equatable, Sendable {
        public var type: TransactionType
        public var amountCents: Int64?
        public var reference: String
        public var invoiceNumber: String?
        public var authCode: String?
        /// The terminal record number of the original (void, refund).
        public var originalRecordNumber: String?
        /// Mail/telephone order mode, "M" or "T".
        public var motoMode: String?
        public var extData: [(key: String, value: String)]

        public init(
            type: TransactionType, amountCents: Int64? = nil, reference: String, invoiceNumber: String? = nil, authCode: String? = nil,
            originalRecordNumber: String? = nil, motoMode: String? = nil, extData: [(key: String, value: String)] = []
        ) {
            self.type = type
            self.amountCents = amountCents
            self.reference = reference
            self.invoiceNumber = invoiceNumber
            self.authCode = authCode
            self.originalRecordNumber = originalRecordNumber
            self.motoMode = motoMode
            self.extData = extData
        }

        public static func == (lhs: Transaction, rhs: Transaction) -> Bool {
            lhs.type == rhs.type && lhs.amountCents == rhs.amountCents && lhs.reference == rhs.reference
                && lhs.invoiceNumber == rhs.invoiceNumber && lhs.authCode == rhs.authCode
                && lhs.originalRecordNumber == rhs.originalRecordNumber && lhs.motoMode == rhs.motoMode
                && lhs.extData.map { "\($0.key)=\($0.value)" } == rhs.extData.map { "\($0.key)=\($0.value)" }
        }

        var amountGroup: String { amountCents.map(String.init) ?? "" }
        var traceGroup: String {
            POSLinkFrame.group([reference, invoiceNumber ?? "", authCode ?? "", originalRecordNumber ?? ""])
        }
        var extDataGroup: String { POSLinkFrame.group(extData.map { "\($0.key)=\($0.value)" }) }
    }

    /// T00 DoCredit: `TransType FS Amount FS Account FS Trace FS AVS FS Cashier FS Commercial FS MotoEcom FS ExtData`.
    /// The Account group stays empty: the terminal reads or prompts for the card itself.
    public static func credit(_ transaction: Transaction, version: String) -> POSLinkFrame {
        POSLinkFrame(fields: [
            Command.credit.rawValue, version, transaction.type.rawValue, transaction.amountGroup, "", transaction.traceGroup,
            "", "", "", transaction.motoMode ?? "", transaction.extDataGroup,
        ])
    }

    /// T02 DoDebit: `TransType FS Amount FS Account FS Trace FS Cashier FS ExtData`.
    public static func debit(_ transaction: Transaction, version: String) -> POSLinkFrame {
        POSLinkFrame(fields: [
            Command.debit.rawValue, version, transaction.type.rawValue, transaction.amountGroup, "", transaction.traceGroup, "",
            transaction.extDataGroup,
        ])
    }

    /// T12 DoCheck (keyed ACH): `TransType FS Amount FS Check FS Trace FS Cashier FS ExtData`.
    /// The Check group stays empty: routing and account numbers are keyed on the terminal.
    public static func check(_ transaction: Transaction, version: String) -> POSLinkFrame {
        POSLinkFrame(fields: [
            Command.check.rawValue, version, transaction.type.rawValue, transaction.amountGroup, "", transaction.traceGroup, "",
            transaction.extDataGroup,
        ])
    }

    /// R02 Local Detail Report, filtered by our ECR reference:
    /// `EDCType FS TransType FS CardType FS RecordNumber FS OrigRefNum FS AuthCode FS ECRRefNum FS ExtData`.
    public static func localDetailReport(reference: String, version: String) -> POSLinkFrame {
        POSLinkFrame(fields: [Command.localDetailReport.rawValue, version, "00", "", "", "", "", "", reference, ""])
    }

    /// R02 Local Detail Report for one record of the open batch, by its place in the report:
    /// `recordNumber` 0 is the first (oldest) record; each R03 reply carries the total, so a
    /// reader asks for 0, 1, … until it has them all. Every other filter stays empty ("00" =
    /// every EDC type), so the whole batch is counted, not one card type's part of it.
    /// [UNCONFIRMED] that the index starts at 0 on every terminal model: the public SDKs call
    /// it "the log index" without saying where it starts. Check against hardware before
    /// relying on an empty answer.
    public static func localDetailReport(recordNumber: Int, version: String) -> POSLinkFrame {
        POSLinkFrame(fields: [Command.localDetailReport.rawValue, version, "00", "", "", String(recordNumber), "", "", "", ""])
    }

    /// B00 Batch Close with a timestamp (YYYYMMDDhhmmss).
    public static func batchClose(timestamp: String, version: String) -> POSLinkFrame {
        POSLinkFrame(fields: [Command.batchClose.rawValue, version, timestamp])
    }
}
