/**
 * Contract tests: response bodies validate against the component schemas of Xero's OpenAPI spec
 * (fixture extracted by scripts/sandbox-extract-schemas.ts), and request bodies serialised by
 * xero-node's ObjectSerializer are accepted.
 */
import Ajv from "ajv";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  Invoice,
  LineAmountTypes,
  ManualJournal,
  ObjectSerializer,
} from "xero-node/dist/gen/model/accounting/models";
import schemas from "./fixtures/xero-accounting-schemas.json";
import { type Client, invoiceBody, newOrg, seeded, setClock, xero } from "./helpers";

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: "xero-accounting", definitions: schemas.definitions });

function expectValid(schema: string, body: unknown) {
  const validate = ajv.getSchema(`xero-accounting#/definitions/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  const valid = validate(body);
  expect(valid ? [] : validate.errors).toEqual([]);
}

describe("responses validate against xero_accounting.yaml", () => {
  let x: Client;
  let ids: Awaited<ReturnType<typeof seeded>>;

  beforeAll(async () => {
    await setClock("2026-02-10T12:00:00Z");
    x = xero(await newOrg());
    ids = await seeded(x);
  });
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("the validator really rejects a body that breaks the schema", () => {
    const validate = ajv.getSchema("xero-accounting#/definitions/Invoices");
    expect(validate?.({ Invoices: [{ Status: "NOT-A-STATUS", Total: "ten" }] })).toBe(false);
  });

  it("reference data: Organisation, Accounts, TaxRates, Items, Contacts", async () => {
    expectValid("Organisations", (await x.get("/Organisation")).body);
    expectValid("Accounts", (await x.get("/Accounts")).body);
    expectValid("TaxRates", (await x.get("/TaxRates")).body);
    expectValid("Items", (await x.get("/Items?unitdp=4")).body);
    expectValid("Contacts", (await x.get("/Contacts")).body);
  });

  it("invoices: list, paged list, single, create (both summarise modes)", async () => {
    expectValid("Invoices", (await x.get("/Invoices")).body);
    expectValid("Invoices", (await x.get("/Invoices?page=1")).body);
    expectValid("Invoices", (await x.get(`/Invoices/${ids.invC.InvoiceID}`)).body);
    const line = { Description: "x", Quantity: 2, UnitAmount: 1.2345, AccountCode: "200" };
    expectValid(
      "Invoices",
      (await x.put("/Invoices?unitdp=4&summarizeErrors=false", invoiceBody(ids.amazonId, [line]))).body,
    );
    const err = await x.put("/Invoices", invoiceBody(ids.amazonId, [line], { InvoiceNumber: "INV-A" }));
    expect(err.status).toBe(400);
    expectValid("Error", err.body);
  });

  it("credit notes, allocations, payments, manual journals, bank transactions", async () => {
    const cn = await x.put("/CreditNotes", {
      CreditNotes: [
        {
          Type: "ACCRECCREDIT",
          Contact: { ContactID: ids.amazonId },
          Date: "2026-02-10",
          Status: "AUTHORISED",
          LineItems: [{ Description: "Shortage", Quantity: 1, UnitAmount: 300, AccountCode: "6130" }],
        },
      ],
    });
    expectValid("CreditNotes", cn.body);
    const cnId = cn.body.CreditNotes[0].CreditNoteID;
    const alloc = await x.put(`/CreditNotes/${cnId}/Allocations`, {
      Allocations: [{ Invoice: { InvoiceID: ids.invB.InvoiceID }, Amount: 300, Date: "2026-02-10" }],
    });
    expectValid("Allocations", alloc.body);
    expectValid("CreditNotes", (await x.get(`/CreditNotes/${cnId}`)).body);
    const pay = await x.put("/Payments", {
      Payments: [
        {
          Invoice: { InvoiceID: ids.invA.InvoiceID },
          Account: { Code: "1210" },
          Date: "2026-02-10",
          Amount: 10000,
        },
      ],
    });
    expectValid("Payments", pay.body);
    expectValid("Payments", (await x.get("/Payments")).body);
    expectValid("Invoices", (await x.get(`/Invoices/${ids.invA.InvoiceID}`)).body);
    const mj = await x.put("/ManualJournals", {
      ManualJournals: [
        {
          Narration: "deductions",
          Date: "2026-02-10",
          Status: "POSTED",
          JournalLines: [
            { AccountCode: "6160", LineAmount: 200 },
            { AccountCode: "1210", LineAmount: -200 },
          ],
        },
      ],
    });
    expectValid("ManualJournals", mj.body);
    const bt = await x.put("/BankTransactions", {
      BankTransactions: [
        {
          Type: "RECEIVE",
          Contact: { ContactID: ids.amazonId },
          BankAccount: { Code: "090" },
          Date: "2026-02-10",
          Reference: "Amazon 40311877",
          LineAmountTypes: "NoTax",
          LineItems: [{ Description: "Remittance", Quantity: 1, UnitAmount: 9800, AccountCode: "1210" }],
        },
      ],
    });
    expectValid("BankTransactions", bt.body);
  });
});

describe("requests serialised by xero-node are accepted", () => {
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("an Invoice and a ManualJournal built from xero-node models", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const invoice = new Invoice();
    invoice.type = Invoice.TypeEnum.ACCREC;
    invoice.contact = { contactID: amazonId };
    invoice.date = "2026-02-10";
    invoice.dueDate = "2026-03-10";
    invoice.reference = "PO 123";
    invoice.status = Invoice.StatusEnum.AUTHORISED;
    invoice.lineAmountTypes = LineAmountTypes.NoTax;
    invoice.lineItems = [
      { description: "Mugs", quantity: 3, unitAmount: 8.755, accountCode: "200", itemCode: "B07DFVDRAB" },
    ];
    const body = { Invoices: ObjectSerializer.serialize([invoice], "Array<Invoice>") };
    const r = await x.put("/Invoices?unitdp=4&summarizeErrors=false", body);
    expect(r.status).toBe(200);
    expect(r.body.Invoices[0]).toMatchObject({
      StatusAttributeString: "OK",
      Status: "AUTHORISED",
      Total: 26.27,
    });

    const mj = new ManualJournal();
    mj.narration = "xero-node journal";
    mj.date = "2026-02-10";
    mj.status = ManualJournal.StatusEnum.POSTED;
    mj.journalLines = [
      { accountCode: "6120", lineAmount: 150, description: "Chargeback" },
      { accountCode: "1210", lineAmount: -150, description: "Clearing" },
    ];
    const r2 = await x.put("/ManualJournals?summarizeErrors=false", {
      ManualJournals: ObjectSerializer.serialize([mj], "Array<ManualJournal>"),
    });
    expect(r2.body.ManualJournals[0]).toMatchObject({ StatusAttributeString: "OK", Status: "POSTED" });
    // and xero-node can read our response back into its models
    const parsed = ObjectSerializer.deserialize(
      r2.body.ManualJournals,
      "Array<ManualJournal>",
    ) as ManualJournal[];
    expect(parsed[0]?.journalLines?.[0]?.lineAmount).toBe(150);
  });
});
