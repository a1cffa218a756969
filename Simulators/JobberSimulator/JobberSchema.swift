import Graphiti

/// The GraphQL schema the simulator serves: the subset of Jobber's public schema posplus
/// uses, with Jobber's exact type, field, enum and argument names (jobber-api.md §3–§5), so a
/// query Jobber would reject — a misspelt field, a wrong argument type, a missing `first`
/// paging argument's type — fails here too, through the same validation rules.
///
/// `offersPaymentRecords` adds `invoiceCreatePaymentRecord`, which the public schema lacks
/// but older dumps have; the write-back detects it by introspection, so both paths are tested.
enum JobberSchema {
    static func make(offersPaymentRecords: Bool) throws -> Schema<JobberResolver, JobberWorld> {
        let builder = SchemaBuilder(JobberResolver.self, JobberWorld.self)
        builder.add {
            Scalar(EncodedId.self, as: "EncodedId")
            Scalar(ISO8601DateTime.self, as: "ISO8601DateTime")
            Enum(InvoiceStatusTypeEnum.self) { return InvoiceStatusTypeEnum.allCases.map { Value($0) } }
            Enum(QuoteStatusTypeEnum.self) { return QuoteStatusTypeEnum.allCases.map { Value($0) } }
            Enum(IncomeAdjustmentType.self) { return IncomeAdjustmentType.allCases.map { Value($0) } }
            Enum(PaymentRecordAdjustmentType.self) { return PaymentRecordAdjustmentType.allCases.map { Value($0) } }
            Enum(SortDirectionEnum.self) { return SortDirectionEnum.allCases.map { Value($0) } }
            Enum(InvoiceSortKey.self) { return InvoiceSortKey.allCases.map { Value($0) } }
        }
        builder.add {
            Input(Iso8601DateTimeRangeInput.self) {
                InputField("before", at: \.before)
                InputField("after", at: \.after)
                InputField("eq", at: \.eq)
            }
            Input(InvoiceFilterAttributes.self) {
                InputField("clientId", at: \.clientId)
                InputField("invoiceNumber", at: \.invoiceNumber)
                InputField("status", at: \.status)
                InputField("issuedDate", at: \.issuedDate)
                InputField("dueDate", at: \.dueDate)
                InputField("updatedAt", at: \.updatedAt)
                InputField("createdAt", at: \.createdAt)
            }
            Input(InvoiceSortInput.self) {
                InputField("key", at: \.key)
                InputField("direction", at: \.direction)
            }
            Input(InvoiceCreateNoteInput.self) {
                InputField("message", at: \.message)
                InputField("pinned", at: \.pinned)
            }
            Input(PaymentRecordDetails.self) {
                InputField("details", at: \.details)
            }
            Input(InvoiceCreatePaymentRecordInput.self) {
                InputField("invoiceId", at: \.invoiceId)
                InputField("adjustmentType", at: \.adjustmentType)
                InputField("amount", at: \.amount)
                InputField("entryDate", at: \.entryDate)
                InputField("paymentDetails", at: \.paymentDetails)
            }
        }
        addObjectTypes(builder)
        addConnections(builder)
        builder.addQuery {
            Field("account", at: JobberResolver.account)
            Field("client", at: JobberResolver.client) { Argument("id", at: \.id) }
            Field("clients", at: JobberResolver.clients) { return pageArguments() }
            Field("invoice", at: JobberResolver.invoice) { Argument("id", at: \.id) }
            Field("invoices", at: JobberResolver.invoices) {
                Argument("filter", at: \.filter)
                Argument("searchTerm", at: \.searchTerm)
                Argument("sort", at: \.sort)
                Argument("after", at: \.after)
                Argument("before", at: \.before)
                Argument("first", at: \.first)
                Argument("last", at: \.last)
            }
            Field("quote", at: JobberResolver.quote) { Argument("id", at: \.id) }
            Field("quotes", at: JobberResolver.quotes) { return pageArguments() }
        }
        builder.addMutation {
            Field("invoiceCreateNote", at: JobberResolver.invoiceCreateNote) {
                Argument("invoiceId", at: \.invoiceId)
                Argument("input", at: \.input)
            }
            Field("quoteCreateNote", at: JobberResolver.quoteCreateNote) {
                Argument("quoteId", at: \.quoteId)
                Argument("input", at: \.input)
            }
        }
        if offersPaymentRecords {
            builder.addMutation {
                Field("invoiceCreatePaymentRecord", at: JobberResolver.invoiceCreatePaymentRecord) { Argument("input", at: \.input) }
            }
        }
        return try builder.build()
    }

    private static func addObjectTypes(_ builder: SchemaBuilder<JobberResolver, JobberWorld>) {
        builder.add {
            Type(Account.self) {
                Field("id", at: \.id)
                Field("name", at: \.name)
            }
            Type(Email.self) {
                Field("id", at: \.id)
                Field("address", at: \.address)
                Field("primary", at: \.primary)
                Field("description", at: \.description)
            }
            Type(ClientPhoneNumber.self) {
                Field("id", at: \.id)
                Field("number", at: \.number)
                Field("primary", at: \.primary)
                Field("smsAllowed", at: \.smsAllowed)
                Field("description", at: \.description)
            }
            Type(Client.self) {
                Field("id", at: \.id)
                Field("name", at: \.name)
                Field("firstName", at: \.firstName)
                Field("lastName", at: \.lastName)
                Field("companyName", at: \.companyName)
                Field("isCompany", at: \.isCompany)
                Field("balance", at: \.balance)
                Field("emails", at: \.emails)
                Field("phones", at: \.phones)
                Field("createdAt", at: \.createdAt)
                Field("invoices", at: Client.invoices) { return pageArguments() }
                Field("quotes", at: Client.quotes) { return pageArguments() }
            }
            Type(InvoiceAmounts.self) {
                Field("subtotal", at: \.subtotal)
                Field("total", at: \.total)
                Field("invoiceBalance", at: \.invoiceBalance)
                Field("depositAmount", at: \.depositAmount)
                Field("paymentsTotal", at: \.paymentsTotal)
                Field("tipsTotal", at: \.tipsTotal)
                Field("discountAmount", at: \.discountAmount)
                Field("taxAmount", at: \.taxAmount)
                Field("nonTaxAmount", at: \.nonTaxAmount)
            }
            Type(InvoiceLineItem.self) {
                Field("id", at: \.id)
                Field("name", at: \.name)
                Field("description", at: \.description)
                Field("quantity", at: \.quantity)
                Field("unitPrice", at: \.unitPrice)
                Field("totalPrice", at: \.totalPrice)
                Field("taxable", at: \.taxable)
            }
            Type(PaymentRecord.self) {
                Field("id", at: \.id)
                Field("amount", at: \.amount)
                Field("entryDate", at: \.entryDate)
                Field("adjustmentType", at: \.adjustmentType)
                Field("details", at: \.details)
                Field("tipAmount", at: \.tipAmount)
            }
            Type(InvoiceNote.self) {
                Field("id", at: \.id)
                Field("message", at: \.message)
                Field("pinned", at: \.pinned)
                Field("createdAt", at: \.createdAt)
            }
            Type(JobNote.self) {
                Field("id", at: \.id)
                Field("message", at: \.message)
            }
            Union((any InvoiceNoteUnion).self, as: "InvoiceNoteUnion", members: InvoiceNote.self, JobNote.self)
            Type(Invoice.self) {
                Field("id", at: \.id)
                Field("invoiceNumber", at: \.invoiceNumber)
                Field("invoiceStatus", at: \.invoiceStatus)
                Field("subject", at: \.subject)
                Field("amounts", at: \.amounts)
                Field("client", at: \.client)
                Field("issuedDate", at: \.issuedDate)
                Field("dueDate", at: \.dueDate)
                Field("createdAt", at: \.createdAt)
                Field("updatedAt", at: \.updatedAt)
                Field("jobberWebUri", at: \.jobberWebUri)
                Field("lineItems", at: Invoice.lineItems) { return pageArguments() }
                Field("paymentRecords", at: Invoice.paymentRecords) { return pageArguments() }
                Field("notes", at: Invoice.notes) { return pageArguments() }
            }
            Type(QuoteAmounts.self) {
                Field("subtotal", at: \.subtotal)
                Field("total", at: \.total)
                Field("depositAmount", at: \.depositAmount)
                Field("outstandingDepositAmount", at: \.outstandingDepositAmount)
                Field("discountAmount", at: \.discountAmount)
                Field("taxAmount", at: \.taxAmount)
                Field("nonTaxAmount", at: \.nonTaxAmount)
            }
            Type(Quote.self) {
                Field("id", at: \.id)
                Field("quoteNumber", at: \.quoteNumber)
                Field("quoteStatus", at: \.quoteStatus)
                Field("amounts", at: \.amounts)
                Field("client", at: \.client)
                Field("createdAt", at: \.createdAt)
                Field("updatedAt", at: \.updatedAt)
                Field("depositRecords", at: Quote.depositRecords) { return pageArguments() }
                Field("notes", at: Quote.notes) { return pageArguments() }
            }
            Type(QuoteNote.self) {
                Field("id", at: \.id)
                Field("message", at: \.message)
                Field("createdAt", at: \.createdAt)
            }
            Type(QuoteCreateNotePayload.self) {
                Field("quoteNote", at: \.quoteNote)
                Field("userErrors", at: \.userErrors)
            }
            Type(MutationErrors.self) {
                Field("message", at: \.message)
                Field("path", at: \.path)
            }
            Type(InvoiceCreateNotePayload.self) {
                Field("invoice", at: \.invoice)
                Field("invoiceNote", at: \.invoiceNote)
                Field("userErrors", at: \.userErrors)
            }
            Type(InvoiceCreatePaymentRecordPayload.self) {
                Field("paymentRecord", at: \.paymentRecord)
                Field("userErrors", at: \.userErrors)
            }
        }
    }

    private static func addConnections(_ builder: SchemaBuilder<JobberResolver, JobberWorld>) {
        builder.add {
            Type(PageInfo.self) {
                Field("startCursor", at: \.startCursor)
                Field("endCursor", at: \.endCursor)
                Field("hasNextPage", at: \.hasNextPage)
                Field("hasPreviousPage", at: \.hasPreviousPage)
            }
            connection(Client.self, "Client")
            edge(Client.self, "Client")
            connection(Invoice.self, "Invoice")
            edge(Invoice.self, "Invoice")
            connection(Quote.self, "Quote")
            edge(Quote.self, "Quote")
            connection(InvoiceLineItem.self, "InvoiceLineItem")
            edge(InvoiceLineItem.self, "InvoiceLineItem")
            connection(PaymentRecord.self, "PaymentRecord")
            edge(PaymentRecord.self, "PaymentRecord")
            connection(QuoteNote.self, "QuoteNote")
            edge(QuoteNote.self, "QuoteNote")
            connection((any InvoiceNoteUnion).self, "InvoiceNoteUnion")
            edge((any InvoiceNoteUnion).self, "InvoiceNoteUnion")
        }
    }

    private static func connection<Node: Sendable>(_: Node.Type, _ name: String) -> Type<JobberResolver, JobberWorld, Connection<Node>> {
        Type(Connection<Node>.self, as: "\(name)Connection") {
            Field("nodes", at: \.nodes)
            Field("edges", at: \.edges)
            Field("pageInfo", at: \.pageInfo)
            Field("totalCount", at: \.totalCount)
        }
    }

    private static func edge<Node: Sendable>(_: Node.Type, _ name: String) -> Type<JobberResolver, JobberWorld, Edge<Node>> {
        Type(Edge<Node>.self, as: "\(name)Edge") {
            Field("cursor", at: \.cursor)
            Field("node", at: \.node)
        }
    }
}

/// `after`, `before`, `first`, `last`: the arguments of every connection field.
private func pageArguments() -> [ArgumentComponent<PageArguments>] {
    [
        Argument("after", at: \.after), Argument("before", at: \.before), Argument("first", at: \.first),
        Argument("last", at: \.last),
    ]
}
