/** Drift scenarios: each raises the expected alert, once. */
import { describe, expect, it } from "vitest";
import { type Alert, alertsToRaise, clearedAlertIds } from "../../../worker/domain/monitoring/alerts";
import {
  apiBudgetAlerts,
  archivedAccountAlerts,
  connectionAlerts,
  deductionCode,
  deductionDriftAlerts,
  driftAlerts,
  jobAlerts,
  learnDeductions,
  orphanReversalAlerts,
  xeroChangeAlerts,
} from "../../../worker/domain/monitoring/drift";
import { linkHistory } from "../../../worker/domain/monitoring/history";
import { demoMappings, demoOrg, demoOrgInput, line, payment, remittance } from "../plan/builders";
import { fixtureSettlement } from "./fixtures";

const fx = fixtureSettlement();
const known = learnDeductions({ codes: [], descriptions: [] }, fx.remittance);

describe("new deduction codes and descriptions, lines falling to the catch-all", () => {
  it("learns codes by shape: the same kind of charge with another number is not new", () => {
    expect(known.codes).toEqual([
      "chargeback:#VCBSINV",
      "coop:#-#",
      "price_claim:{invoice}PC",
      "provision:#_PROVISION_FOR_RECEIVABLES",
      "shortage_claim:{invoice}SC",
    ]);
    const again = remittance(
      payment("P2", "2026-03-10", [
        { ...line({ doc: "987VCBSINV", kind: "chargeback", amount: -100 }), transactionType: "Others" },
        {
          ...line({ doc: "INV-QSC", kind: "shortage_claim", amount: -100, original: "INV-Q" }),
          transactionType: "Financial Debit Note Invoice",
          transactionDescription: "Quantity shortage",
        },
      ]),
    );
    expect(
      deductionDriftAlerts({ remittance: again, known, mappings: fx.mappings, vendorCode: "ACME1" }),
    ).toEqual([]);
  });

  it("a remittance with a new code raises one alert per code, naming every line, and an unmapped one", () => {
    const r = remittance(
      payment("P3", "2026-03-17", [
        {
          ...line({ doc: "DN-000123-X", kind: "unknown", amount: -700 }),
          transactionType: "Others",
          transactionDescription: "Storage fee",
        },
        {
          ...line({ doc: "DN-000124-X", kind: "unknown", amount: -300 }),
          transactionType: "Others",
          transactionDescription: "Storage fee",
        },
      ]),
    );
    const alerts = deductionDriftAlerts({
      organisationId: "org-1",
      remittance: r,
      known,
      mappings: fx.mappings,
      vendorCode: "ACME1",
    });
    expect(alerts.map((a) => [a.kind, a.severity, a.subject, a.details.lines])).toEqual([
      ["new_deduction_code", "warning", "unknown:DN-#-X", 2],
      ["new_deduction_description", "info", "others | storage fee", 2],
      ["unmapped_deduction", "warning", "unknown:DN-#-X", 2],
    ]);
    expect(alerts[0]?.message).toBe(
      "Amazon used a deduction number VCX has not seen before: DN-000123-X (unclassified deduction, 7.00 USD) in payment P3",
    );
    expect(alerts[2]?.message).toContain("falls to the catch-all account 6190");
    // Raised once: the next remittance with the same code gives the same ids.
    const next = remittance(
      payment("P4", "2026-03-24", [
        {
          ...line({ doc: "DN-000999-X", kind: "unknown", amount: -1 }),
          transactionType: "Others",
          transactionDescription: "Storage fee",
        },
      ]),
    );
    const later = deductionDriftAlerts({
      organisationId: "org-1",
      remittance: next,
      known,
      mappings: fx.mappings,
      vendorCode: "ACME1",
    });
    expect(
      alertsToRaise(
        later,
        alerts.map((a) => a.id),
      ),
    ).toEqual([]);
  });

  it("a known kind with no row of its own falls to the catch-all", () => {
    const mappings = demoMappings((m) => {
      m.deductions = m.deductions.filter((d) => d.kind !== "price_protection");
    });
    const r = remittance(
      payment("P5", "2026-03-01", [line({ doc: "IPAPUS0000001", kind: "price_protection", amount: -100 })]),
    );
    const alerts = deductionDriftAlerts({
      remittance: r,
      known: learnDeductions(known, r),
      mappings,
      vendorCode: "ACME1",
    });
    expect(alerts.map((a) => a.kind)).toEqual(["unmapped_deduction"]);
    expect(alerts[0]?.action).toBe(
      "Add a Deductions row for kind price_protection pointing at the right account, then re-plan.",
    );
  });

  it("codes keep the suffix but not the invoice or the digits", () => {
    expect(
      deductionCode(
        line({ doc: "INV-77SCRSC", kind: "shortage_claim_revised", amount: -1, original: "INV-77" }),
      ),
    ).toBe("shortage_claim_revised:{invoice}SCRSC");
  });
});

describe("mappings pointing at archived accounts", () => {
  it("archiving 6120 in Xero raises one critical alert naming the row", () => {
    const input = demoOrgInput();
    const archived = demoOrg({
      accounts: input.accounts.map((a) => (a.code === "6120" ? { ...a, status: "ARCHIVED" as const } : a)),
    });
    const alerts = archivedAccountAlerts(fx.mappings, archived, "org-1");
    expect(alerts.map((a) => [a.kind, a.severity, a.subject])).toEqual([
      ["archived_account", "critical", "6120"],
    ]);
    expect(alerts[0]?.message).toBe(
      "Account 6120 (Amazon Chargebacks) is archived in Xero, but the mapping still uses it: Deductions row 5 (chargeback)",
    );
    expect(archivedAccountAlerts(fx.mappings, archived, "org-1")[0]?.id).toBe(alerts[0]?.id);
    expect(archivedAccountAlerts(fx.mappings, fx.org, "org-1")).toEqual([]);
  });

  it("a Settings account deleted from Xero", () => {
    const gone = demoOrg({ accounts: demoOrgInput().accounts.filter((a) => a.code !== "1290") });
    const [a] = archivedAccountAlerts(fx.mappings, gone);
    expect(a?.message).toBe(
      "Account 1290 no longer exists in Xero, but the mapping still uses it: Settings Suspense account for vendor ACME1",
    );
  });
});

describe("Xero-side changes to posted documents", () => {
  const posted = [
    {
      key: "vcx1:ACME1:40311877:cn:INV-BSC",
      type: "CreditNote",
      xeroId: "cn-1",
      number: "CN-0001",
      amount: 30000,
      currency: "USD",
    },
    { key: "vcx1:ACME1:40311877:mj", type: "ManualJournal", xeroId: "mj-1", amount: 185000, currency: "USD" },
    {
      key: "vcx1:ACME1:40311877:bank",
      type: "BankTransaction",
      xeroId: "bt-1",
      amount: 1277000,
      currency: "USD",
    },
    {
      key: "vcx1:ACME1:40311877:pay:INV-A",
      type: "Payment",
      xeroId: "pay-1",
      amount: 1000000,
      currency: "USD",
    },
  ];

  it("voided, deleted and edited documents each raise one critical alert", () => {
    const alerts = xeroChangeAlerts(posted, [
      { xeroId: "cn-1", status: "VOIDED", amount: 30000 },
      { xeroId: "mj-1", status: "DELETED" },
      { xeroId: "bt-1", status: "AUTHORISED", amount: 1270000 },
      { xeroId: "pay-1", status: "AUTHORISED", amount: 1000000 },
    ]);
    expect(alerts.map((a) => [a.kind, a.subject])).toEqual([
      ["xero_document_voided", "vcx1:ACME1:40311877:cn:INV-BSC"],
      ["xero_document_deleted", "vcx1:ACME1:40311877:mj"],
      ["xero_amount_edited", "vcx1:ACME1:40311877:bank"],
    ]);
    expect(alerts[0]?.message).toBe("CreditNote CN-0001 that VCX posted (USD 300.00) was voided in Xero");
    expect(alerts[2]?.message).toBe("BankTransaction was changed in Xero from USD 12770.00 to 12700.00");
  });

  it("a missing document is deleted only in a complete comparison", () => {
    expect(xeroChangeAlerts(posted, [])).toEqual([]);
    expect(xeroChangeAlerts(posted, [], { complete: true }).map((a) => a.kind)).toEqual([
      "xero_document_deleted",
      "xero_document_deleted",
      "xero_document_deleted",
      "xero_document_deleted",
    ]);
  });

  it("the same void found by the webhook and by the scheduled comparison is one alert", () => {
    const webhook = xeroChangeAlerts(posted, [{ xeroId: "cn-1", status: "VOIDED" }], { organisationId: "o" });
    const scheduled = xeroChangeAlerts(posted, [{ xeroId: "cn-1", status: "VOIDED", amount: 30000 }], {
      organisationId: "o",
      complete: false,
    });
    expect(
      alertsToRaise(
        scheduled,
        webhook.map((a) => a.id),
      ),
    ).toEqual([]);
    // A second edit to a new amount is a new condition.
    const e1 = xeroChangeAlerts(posted, [{ xeroId: "bt-1", status: "AUTHORISED", amount: 1 }]);
    const e2 = xeroChangeAlerts(posted, [{ xeroId: "bt-1", status: "AUTHORISED", amount: 2 }]);
    expect(e1[0]?.id).not.toBe(e2[0]?.id);
  });
});

describe("jobs, connections, API budget", () => {
  const now = "2026-03-02T10:00:00Z";
  it("failed and stuck jobs", () => {
    const alerts = jobAlerts(
      [
        {
          id: "j1",
          type: "post-remittance",
          status: "failed",
          createdAt: now,
          updatedAt: now,
          attempts: 3,
          error: "Xero 400: account 6120 is archived",
          subject: "40311877",
        },
        {
          id: "j2",
          type: "post-remittance",
          status: "running",
          createdAt: "2026-03-02T09:00:00Z",
          updatedAt: "2026-03-02T09:15:00Z",
        },
        {
          id: "j3",
          type: "import-po",
          status: "queued",
          createdAt: "2026-03-02T09:30:00Z",
          updatedAt: "2026-03-02T09:30:00Z",
        },
        {
          id: "j4",
          type: "post-remittance",
          status: "succeeded",
          createdAt: "2026-03-01T09:00:00Z",
          updatedAt: "2026-03-01T09:00:00Z",
        },
      ],
      { now },
    );
    expect(alerts.map((a) => [a.kind, a.subject, a.severity])).toEqual([
      ["job_failed", "j1", "critical"],
      ["job_stuck", "j2", "warning"],
    ]);
    expect(alerts[0]?.message).toBe(
      "The post-remittance job j1 (40311877) failed after 3 attempts: Xero 400: account 6120 is archived",
    );
    expect(alerts[1]?.message).toBe(
      "The post-remittance job j2 has been running for 45 minutes without progress",
    );
  });

  it("connections needing re-consent, or about to expire", () => {
    const alerts = connectionAlerts(
      [
        {
          organisationId: "a",
          organisationName: "Acme",
          status: "needs_reconsent",
          lastError: "invalid_grant",
        },
        { organisationId: "b", status: "active", refreshTokenExpiresAt: "2026-03-05T00:00:00Z" },
        { organisationId: "c", status: "active", refreshTokenExpiresAt: "2026-04-30T00:00:00Z" },
      ],
      { now },
    );
    expect(alerts.map((a) => [a.organisationId, a.severity, a.message])).toEqual([
      [
        "a",
        "critical",
        "The Xero connection for Acme needs someone to approve VCX's access again (invalid_grant)",
      ],
      ["b", "warning", "The Xero connection for b expires in 3 days unless VCX uses it"],
    ]);
  });

  it("the daily API budget running low, once per day and level", () => {
    const b = (remaining: number, day = "2026-03-02") => ({
      organisationId: "o",
      day,
      remaining,
      limit: 5000,
    });
    expect(apiBudgetAlerts([b(1001)])).toEqual([]);
    const warn = apiBudgetAlerts([b(999)]);
    expect(warn.map((a) => [a.severity, a.message])).toEqual([
      ["warning", "o has 999 of its 5000 Xero API calls left today (19 %)"],
    ]);
    expect(apiBudgetAlerts([b(500)])[0]?.id).toBe(warn[0]?.id);
    expect(apiBudgetAlerts([b(100)])[0]?.severity).toBe("critical");
    expect(apiBudgetAlerts([b(999, "2026-03-03")])[0]?.id).not.toBe(warn[0]?.id);
  });
});

describe("reversals whose originals were never seen", () => {
  it("raises for the orphan only", () => {
    const r = remittance(
      payment("P9", "2026-03-09", [
        line({ doc: "INV-ZSCR", kind: "shortage_claim_reversal", amount: 2000, original: "INV-ZSC" }),
        line({ doc: "251101_PROVISION_FOR_RECEIVABLESR", kind: "provision_reversal", amount: 5000 }),
      ]),
    );
    const alerts = orphanReversalAlerts(linkHistory([fx.remittance, r]));
    expect(alerts.map((a) => [a.kind, a.subject])).toEqual([
      ["orphan_reversal", "P9/INV-ZSCR/1"],
      ["orphan_reversal", "P9/251101_PROVISION_FOR_RECEIVABLESR/1"],
    ]);
    expect(alerts[0]?.message).toBe(
      "INV-ZSCR (shortage claim reversal, 20.00 USD) in payment P9 reverses INV-ZSC, which is in no remittance VCX has",
    );
  });
});

describe("everything at once", () => {
  it("runs each check it has data for, deduplicated and ordered by severity", () => {
    const input = demoOrgInput();
    const all = driftAlerts({
      organisationId: "org-1",
      now: "2026-03-02T10:00:00Z",
      mappings: fx.mappings,
      org: demoOrg({
        accounts: input.accounts.map((a) => (a.code === "6130" ? { ...a, status: "ARCHIVED" as const } : a)),
      }),
      budgets: [{ organisationId: "org-1", day: "2026-03-02", remaining: 10, limit: 1000 }],
      connections: [{ organisationId: "org-1", status: "active" }],
    });
    expect(all.map((a: Alert) => [a.severity, a.kind])).toEqual([
      ["critical", "api_budget_low"],
      ["critical", "archived_account"],
    ]);
    expect(
      clearedAlertIds(
        [],
        all.map((a) => a.id),
      ),
    ).toEqual(all.map((a) => a.id).sort());
  });
});
