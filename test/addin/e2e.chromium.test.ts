/**
 * The built task pane in real Chromium against the REAL local stack (as `npm start` runs it): the Xero
 * sandbox Worker and the VCX API Worker under `wrangler dev`, the pane from scripts/serve-addin.js. Office is
 * stubbed only where a browser has no Office: displayDialogAsync opens the dialog URL in a real popup, which
 * walks dialog.html → the Worker's /v1/auth/xero/start → the sandbox consent page → the Worker's callback
 * page, whose Office.context.ui.messageParent is relayed back to the pane. Then: lists, mappings (an invalid
 * account code flagged by the Worker), import of the US fixture, review against the in-memory workbook, then
 * Post: the Worker's OrgPoster sends the plan to the sandbox while the pane polls the job; Review is stamped,
 * the Posting Log written, and the sandbox's trial balance shows each deduction on its mapped account.
 * Screenshots go to addin/dist/test-artifacts/.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as XLSX from "@e965/xlsx";
import chromium from "@sparticuz/chromium";
import { type Browser, type BrowserContext, type Page, chromium as playwright } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RealStack, startRealStack } from "./support/real-stack";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ARTIFACTS = join(root, "addin/dist/test-artifacts");
const addinDir = join(tmpdir(), `vcx-addin-real-e2e-${process.pid}`);
let stack: RealStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startRealStack({ addinDir });
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args.filter((a) => a !== "--single-process"),
    headless: true,
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  rmSync(addinDir, { recursive: true, force: true });
});

/** The pane's Office: no host (preview), but a dialog API that opens the URL in a real browser page. */
const PANE_OFFICE = () => {
  const w = window as unknown as Record<string, unknown> & { __vcxOpenDialog(url: string): Promise<void> };
  w["Office"] = {
    onReady: () => Promise.resolve({ host: null, platform: null }),
    HostType: { Excel: "Excel" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    EventType: { DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
    context: {
      ui: {
        displayDialogAsync(url: string, _opts: unknown, cb: (r: unknown) => void) {
          const handlers: Record<string, (arg: unknown) => void> = {};
          w["__vcxDialog"] = {
            message: (message: string, origin: string) =>
              handlers["dialogMessageReceived"]?.({ message, origin }),
            closed: false,
          };
          cb({
            status: "succeeded",
            value: {
              addEventHandler: (type: string, h: (arg: unknown) => void) => {
                handlers[type] = h;
              },
              close: () => {
                (w["__vcxDialog"] as { closed: boolean }).closed = true;
              },
            },
          });
          void w.__vcxOpenDialog(url);
        },
      },
    },
  };
};

/** Office.js inside the dialog (the Worker's pages load it from Microsoft's CDN): messageParent relays. */
const DIALOG_OFFICE_JS = `window.Office = {
  onReady: function (cb) { var info = { host: "Excel", platform: "OfficeOnline" };
    if (cb) setTimeout(function () { cb(info); }, 0); return Promise.resolve(info); },
  context: { ui: { messageParent: function (message, options) {
    window.__vcxMessageParent(message, (options && options.targetOrigin) || null); } } }
};`;

interface Relayed {
  message: string;
  targetOrigin: string | null;
  from: string;
}

async function openPane(): Promise<{
  context: BrowserContext;
  page: Page;
  dialogUrls: string[];
  relayed: Relayed[];
  dialog: () => Promise<Page>;
}> {
  const context = await browser.newContext({ viewport: { width: 360, height: 1100 } });
  const page = await context.newPage();
  const dialogUrls: string[] = [];
  const relayed: Relayed[] = [];
  let openDialog: (p: Page) => void = () => {};
  const dialogPage = new Promise<Page>((r) => {
    openDialog = r;
  });
  await context.route("https://appsforoffice.microsoft.com/**", (r) =>
    r.fulfill({ contentType: "text/javascript", body: DIALOG_OFFICE_JS }),
  );
  await context.exposeBinding(
    "__vcxMessageParent",
    async ({ page: from }, message: string, targetOrigin: string | null) => {
      relayed.push({ message, targetOrigin, from: from.url() });
      // Office delivers messageParent only to a parent on targetOrigin (when one is given).
      if (targetOrigin !== null && targetOrigin !== new URL(page.url()).origin) return;
      await page.evaluate(
        ([m, o]) =>
          (window as unknown as { __vcxDialog: { message(m: string, o: string): void } }).__vcxDialog.message(
            m,
            o,
          ),
        [message, new URL(from.url()).origin] as const,
      );
    },
  );
  await page.exposeFunction("__vcxOpenDialog", async (url: string) => {
    dialogUrls.push(url);
    const popup = await context.newPage();
    openDialog(popup);
    await popup.goto(url);
  });
  await page.route("**/office-js/office.js", (r) => r.fulfill({ contentType: "text/javascript", body: "" }));
  await page.addInitScript(PANE_OFFICE);
  await page.goto(`${stack.pane}/taskpane.html`);
  await page.waitForSelector("body[data-ready=true]");
  return { context, page, dialogUrls, relayed, dialog: () => dialogPage };
}

type Vcx = {
  vcx: {
    workbook: {
      table(n: string): unknown[][];
      userEdit(...a: unknown[]): void;
      sheets: Map<string, { marks: { address: string; note: string }[] }>;
      stats: { formulas: string[] };
    };
    controller: {
      state: {
        session?: { token: string; user: { id: string; name: string | null; email: string | null } };
        orgId?: string;
        remittanceId?: string;
        job?: { id: string; fraction: number; label: string; finished: boolean };
        failures: string[];
      };
    };
  };
};
const table = (page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as Vcx).vcx.workbook.table(n), name);
const message = (page: Page, text: string) =>
  page.waitForFunction((t) => document.querySelector("#message")?.textContent?.includes(t), text);

/**
 * The sandbox's seeded organisation has no 6190/1230 accounts nor the WIDGET/GADGET items of the demo
 * workbook; point those cells at what it has (as scripts/start.js does).
 */
const SANDBOX_CODES: Record<string, string> = {
  "6190": "6120",
  "1230": "1220",
  "WIDGET-01": "B07DFVDRAB",
  "GADGET-02": "028877454078",
};

async function uploadDemoMappings(orgId: string, token: string): Promise<void> {
  const wb = XLSX.read(readFileSync(join(root, "test/fixtures/mappings/demo-mappings.xlsx")));
  for (const sheet of wb.SheetNames) {
    const ws = wb.Sheets[sheet];
    if (!ws) continue;
    const rows = XLSX.utils
      .sheet_to_json<unknown[]>(ws, { header: 1, raw: false, defval: "" })
      .map((r) => r.map((c) => SANDBOX_CODES[String(c)] ?? String(c)));
    const res = await fetch(`${stack.api}/v1/organisations/${orgId}/mappings/${encodeURIComponent(sheet)}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ rows }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }
}

interface TrialBalance {
  Balanced: boolean;
  Accounts: { Code: string; Balance: number }[];
}

/** The sandbox's own trial balance (its inspection endpoint), as balances by account code. */
async function balances(tenantId: string): Promise<Record<string, number>> {
  const res = await fetch(`${stack.sandbox}/sandbox/tenants/${tenantId}/trial-balance`);
  expect(res.status).toBe(200);
  const tb = (await res.json()) as TrialBalance;
  expect(tb.Balanced).toBe(true);
  return Object.fromEntries(tb.Accounts.map((a) => [a.Code, a.Balance]));
}

/** Posting can wait a minute on the sandbox's 60 calls/minute per organisation (the job's Retry-After). */
const POSTING_TIMEOUT = 150_000;

describe("task pane against the real Worker and Xero sandbox", () => {
  it("signs in through the dialog, loads and validates mappings, imports, reviews and posts the US remittance", async () => {
    const { context, page, dialogUrls, relayed, dialog } = await openPane();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const sandbox = (await (await fetch(`${stack.sandbox}/sandbox`)).json()) as {
      tenants: { tenantId: string; name: string; version: string }[];
    };
    const us = sandbox.tenants.find((t) => t.version === "US");
    expect(us).toBeDefined();

    // ---- sign in: dialog.html → Worker → sandbox consent (US only) → Worker callback → messageParent
    await page.click("#connect-btn");
    const popup = await dialog();
    await popup.waitForSelector("form[action='/identity/connect/authorize'] button[type=submit]");
    expect(new URL(popup.url()).origin).toBe(stack.sandbox);
    for (const box of await popup.$$("input[name=tenant]"))
      if ((await box.getAttribute("value")) !== us?.tenantId) await box.uncheck();
    await popup.click("button[type=submit]");
    await message(page, "Connected ");
    // The sandbox's tokens carry no name/email claims: the pane must still say who is signed in sensibly.
    const user = await page.evaluate(() => (window as unknown as Vcx).vcx.controller.state.session?.user);
    const who = user?.name ?? user?.email;
    expect(await page.textContent("#message")).toBe(who ? `Connected as ${who}.` : "Connected to Xero.");
    expect(await page.textContent("#connection-status")).toMatch(
      who ? /^Signed in as \S/ : /^Signed in to Xero$/,
    );
    expect(dialogUrls).toHaveLength(1);
    const dialogUrl = new URL(dialogUrls[0] ?? "");
    expect(dialogUrl.origin + dialogUrl.pathname).toBe(`${stack.pane}/dialog.html`);
    expect(dialogUrl.searchParams.get("to")).toBe(
      `${stack.api}/v1/auth/xero/start?return=${encodeURIComponent(stack.pane)}`,
    );
    expect(relayed).toHaveLength(1);
    expect(relayed[0]?.from).toMatch(new RegExp(`^${stack.api}/v1/auth/xero/callback\\?`));
    expect(relayed[0]?.targetOrigin).toBe(stack.pane);
    expect(JSON.parse(relayed[0]?.message ?? "{}")).toEqual({
      type: "vcx-auth",
      code: expect.stringMatching(/^vcxc_/),
    });
    expect(
      await page.evaluate(
        () => (window as unknown as { __vcxDialog: { closed: boolean } }).__vcxDialog.closed,
      ),
    ).toBe(true);
    await popup.close();
    expect(await page.inputValue("#org")).toBe(us?.tenantId);
    expect(await page.textContent("#org")).toContain("VCX Demo Co (US)");
    expect(await page.textContent("#health")).toMatch(/ConnectionHealthy/);
    expect(await page.textContent("#health")).toMatch(/API budget\d+ today/);

    // ---- mappings: seed the demo workbook through the API, then refresh lists and load them in the pane
    const { token, orgId } = await page.evaluate(() => {
      const s = (window as unknown as Vcx).vcx.controller.state;
      return { token: s.session?.token ?? "", orgId: s.orgId ?? "" };
    });
    await uploadDemoMappings(orgId, token);
    await page.click("#refresh-lists");
    await message(page, "Lists refreshed");
    await page.click("#load-mappings");
    await message(page, "Mappings version 3 loaded");
    await page.click("#validate");
    await page.waitForFunction(() =>
      document.querySelector("#validation")?.textContent?.includes("All mappings are valid."),
    );

    // An account code the organisation does not have is flagged on its cell by the Worker.
    const deductions = await table(page, "VcxDeductions");
    const j = (deductions[0] as string[]).indexOf("Account Code");
    const original = (deductions[1] as string[])[j];
    await page.evaluate(
      (col) => (window as unknown as Vcx).vcx.workbook.userEdit("Deductions", 1, col, "9999"),
      j,
    );
    await page.waitForSelector("#dirty:not([hidden])");
    await page.click("#validate");
    await page.waitForFunction(() =>
      document.querySelector("#validation")?.textContent?.includes("1 problem"),
    );
    const marks = await page.evaluate(
      () => (window as unknown as Vcx).vcx.workbook.sheets.get("Deductions")?.marks,
    );
    expect(marks).toEqual([
      { address: `${String.fromCharCode(65 + j)}2`, note: expect.stringMatching(/9999/), fill: "#FDE7E9" },
    ]);
    await page.evaluate(
      ([col, v]) => (window as unknown as Vcx).vcx.workbook.userEdit("Deductions", 1, col, v),
      [j, original] as const,
    );
    await page.click("#save");
    await message(page, "Mappings saved");

    // ---- import the fixture remittance and review it
    await page.setInputFiles("#file", join(root, "test/fixtures/remittances/us-40311877.csv"));
    await page.click("#import-file");
    await page.waitForSelector("#totals-table");
    const totals = await page.textContent("#totals-table");
    expect(totals).toMatch(/Gross15,000\.00/);
    expect(totals).toMatch(/Net12,770\.00/);
    expect(totals).toMatch(/Difference0\.00/);
    await page.screenshot({
      path: join(ARTIFACTS, "pane-e2e-review.png"),
      fullPage: true,
      animations: "disabled",
    });

    // The Review sheet (in-memory workbook): one row per remittance line, mapped and planned by the Worker.
    const review = await table(page, "VcxReview");
    const head = review[0] as string[];
    const col = (name: string) => review.slice(1).map((r) => r[head.indexOf(name)]);
    expect(col("Payment")).toEqual(Array(7).fill("40311877"));
    expect(col("Document Number")).toEqual([
      "INV-A",
      "INV-B",
      "INV-BSC",
      "123VCBSINV",
      "3210-00000001",
      "260201_PROVISION_FOR_RECEIVABLES",
      "INV-CPC",
    ]);
    expect(col("Kind")).toEqual([
      "invoice_payment",
      "invoice_payment",
      "shortage_claim",
      "chargeback",
      "coop",
      "provision",
      "price_claim",
    ]);
    expect(col("Amount")).toEqual([9800, 5000, -300, -150, -1000, -500, -80]);
    expect(col("Treatment")).toEqual([
      "payment",
      "payment",
      "credit_note",
      "journal",
      "journal",
      "journal",
      "credit_note",
    ]);
    // Deduction accounts as mapped for the sandbox organisation (6190 → 6120, 1230 → 1220).
    expect(col("Account")).toEqual(["", "", "6130", "6120", "6110", "1220", "6140"]);
    // Payments and the shortage claim's allocation are matched to the sandbox's real invoices.
    expect(col("Matched Document")).toEqual([
      expect.stringMatching(/^INV-A · [0-9a-f-]{36}$/),
      expect.stringMatching(/^INV-B · [0-9a-f-]{36}$/),
      expect.stringMatching(/^INV-B · [0-9a-f-]{36}$/),
      "",
      "",
      "",
      "",
    ]);
    expect(col("Planned Document")).toEqual([
      "Payment, ManualJournal",
      "Payment",
      "CreditNote, Allocation",
      "ManualJournal",
      "ManualJournal",
      "ManualJournal",
      "CreditNote, RefundPayment",
    ]);
    expect(col("Exception")).toEqual(Array(7).fill(""));
    expect(col("Status")).toEqual(Array(7).fill("planned"));

    // Control totals beside the review: gross 15,000.00 − deductions 2,230.00 (incl. the terms discount) = net 12,770.00 = deposit.
    const controls = Object.fromEntries(
      (await table(page, "VcxReviewTotals")).slice(1).map((r) => [String(r[2]), r[3]]),
    );
    expect(controls).toEqual({
      Gross: 15000,
      "Deductions: shortage_claim": -300,
      "Deductions: chargeback": -150,
      "Deductions: coop": -1000,
      "Deductions: provision": -500,
      "Deductions: price_claim": -80,
      // INV-A paid 9,800.00 of 10,000.00: the 2% terms discount, booked in the payment's journal.
      "Deductions: terms_discount": -200,
      Net: 12770,
      "Bank deposit": 12770,
      Difference: 0,
    });
    expect(await page.textContent("#message")).toBe("7 lines reviewed.");
    expect(await page.isDisabled("#post-btn")).toBe(false);
    // Nothing from the file was written as a formula.
    expect(await page.evaluate(() => (window as unknown as Vcx).vcx.workbook.stats.formulas)).toEqual([]);
    const planned = col("Document Key");

    // ---- post: the Worker queues the plan in the organisation's OrgPoster; the pane polls GET /v1/jobs/:id
    const before = await balances(orgId);
    const jobReads: number[] = [];
    page.on("response", (r) => {
      if (new URL(r.url()).pathname.startsWith("/v1/jobs/")) jobReads.push(r.status());
    });
    const accepted = page.waitForResponse(
      (r) => r.request().method() === "POST" && /\/remittances\/[^/]+\/post$/.test(new URL(r.url()).pathname),
    );
    await page.click("#post-btn");
    const postRes = await accepted;
    expect(postRes.status()).toBe(202);
    const remittanceId = await page.evaluate(
      () => (window as unknown as Vcx).vcx.controller.state.remittanceId ?? "",
    );
    expect(await postRes.json()).toMatchObject({
      jobId: `rem-${remittanceId}-0`,
      created: true,
      state: expect.any(String),
    });
    await page.waitForFunction(
      () => document.querySelector("#message")?.textContent?.startsWith("Posting done"),
      undefined,
      { timeout: POSTING_TIMEOUT },
    );
    const state = await page.evaluate(() => {
      const s = (window as unknown as Vcx).vcx.controller.state;
      return { job: s.job, failures: s.failures };
    });
    expect(state.failures).toEqual([]);
    expect(state.job).toMatchObject({ id: `rem-${remittanceId}-0`, fraction: 1, finished: true });
    expect(jobReads.length).toBeGreaterThan(0);
    expect(jobReads.every((s) => s === 200)).toBe(true);

    // The job as the Worker reports it: everything posted, nothing failed or held.
    const jobRes = await fetch(`${stack.api}/v1/jobs/${state.job?.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(jobRes.status).toBe(200);
    const job = (await jobRes.json()) as {
      state: string;
      total: number;
      posted: number;
      failed: number;
      held: number;
      documents: { key: string; type: string; state: string; xeroId?: string; link?: string }[];
    };
    expect(job).toMatchObject({ state: "done", failed: 0, held: 0 });
    expect(job.posted).toBe(job.total);
    expect(job.total).toBeGreaterThan(0);
    expect(job.documents.every((d) => d.state === "posted" && !!d.xeroId)).toBe(true);
    expect(await page.textContent("#message")).toBe(`Posting done: ${job.posted} of ${job.total} posted.`);
    expect(await page.textContent("#progress-label")).toBe(`${job.posted} of ${job.total} posted (done)`);

    // Review: every row stamped posted, with the Xero ids of its documents and a deep link into Xero.
    const stamped = await table(page, "VcxReview");
    const stampedCol = (name: string) =>
      stamped.slice(1).map((r) => r[(stamped[0] as string[]).indexOf(name)]);
    expect(stampedCol("Document Key")).toEqual(planned);
    expect(stampedCol("Status")).toEqual(Array(7).fill("posted"));
    const byKey = new Map(job.documents.map((d) => [d.key, d]));
    const ids = stampedCol("Xero ID") as string[];
    const links = stampedCol("Xero Link") as string[];
    stamped.slice(1).forEach((_, i) => {
      const keys = String(planned[i] ?? "")
        .split(/[\s,]+/)
        .filter(Boolean);
      expect(keys.length, `row ${i + 2} has document keys`).toBeGreaterThan(0);
      const docs = keys.map((k) => byKey.get(k));
      expect(docs.every(Boolean), `row ${i + 2}: ${keys.join(" ")} in the job`).toBe(true);
      expect(ids[i]).toBe(docs.map((d) => d?.xeroId).join(" "));
      expect(ids[i]).toMatch(/^[0-9a-f-]{36}( [0-9a-f-]{36})*$/);
      expect(links[i]).toBe(docs.find((d) => d?.link)?.link);
    });
    for (const l of links) expect(l).toMatch(/^https:\/\//);

    // Posting Log: one row per posted document, with who, which file and which job.
    const log = await table(page, "VcxPostingLog");
    const logHead = log[0] as string[];
    expect(logHead).toEqual([
      "Posted At",
      "Posted By",
      "Remittance",
      "Job",
      "Document Key",
      "Type",
      "State",
      "Xero ID",
      "Xero Link",
      "Error",
    ]);
    const logRows = log.slice(1).map((r) => Object.fromEntries(logHead.map((h, i) => [h, r[i]])));
    expect(logRows).toHaveLength(job.total);
    expect(logRows.map((r) => r["Document Key"])).toEqual(job.documents.map((d) => d.key));
    for (const r of logRows) {
      const d = byKey.get(String(r["Document Key"]));
      expect(r).toMatchObject({
        "Posted By": user?.email ?? user?.name ?? user?.id,
        Remittance: "us-40311877.csv",
        Job: state.job?.id,
        Type: d?.type,
        State: "posted",
        "Xero ID": d?.xeroId,
        "Xero Link": d?.link ?? "",
        Error: "",
      });
      expect(Date.parse(String(r["Posted At"]))).not.toBeNaN();
    }

    // The sandbox's ledger: the clearing account nets to zero, each deduction sits on its mapped account
    // (sandbox codes: 6190 → 6120, 1230 → 1220), the terms discount on 6160.
    const tb = await balances(orgId);
    expect(tb["1210"]).toBe(0);
    const mapped = { "6110": 1000, "6120": 150, "6130": 300, "6140": 80, "1220": 500, "6160": 200 };
    for (const code of Object.keys(mapped)) expect(before[code] ?? 0, `${code} before posting`).toBe(0);
    expect(tb).toMatchObject(mapped);
    // The sandbox prints balances with two decimals (money as Xero writes it).
    const raw = await (await fetch(`${stack.sandbox}/sandbox/tenants/${orgId}/trial-balance`)).text();
    expect(raw).toMatch(/"Code":"1210"[^}]*"Balance":0\.00/);
    expect(raw).toMatch(/"Code":"6110"[^}]*"Balance":1000\.00/);

    await page.screenshot({
      path: join(ARTIFACTS, "pane-e2e-posted.png"),
      fullPage: true,
      animations: "disabled",
    });
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it("browser preview as `npm start` serves it: real office.js, sign-in page in a tab, one-time code pasted", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 900 } });
    // Offline: Microsoft's CDN (loaded by the Worker's callback page) is unreachable.
    await context.route("https://appsforoffice.microsoft.com/**", (r) => r.abort("internetdisconnected"));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${stack.pane}/taskpane.html`);
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.evaluate(() => window.vcx?.preview)).toBe(true);
    expect(await page.isVisible("#code-row")).toBe(true);

    // "Connect to Xero" opens the Worker's sign-in page in a new tab and asks for the code.
    const tab = context.waitForEvent("page");
    await page.click("#connect-btn");
    const signIn = await tab;
    await message(page, "paste the one-time code");
    await signIn.waitForSelector("form[action='/identity/connect/authorize'] button[type=submit]");
    await signIn.click("button[type=submit]");
    const code = (await (await signIn.waitForSelector("code#code")).textContent()) ?? "";
    expect(code).toMatch(/^vcxc_/);
    expect(await signIn.textContent("body")).toContain("VCX Demo Co (US)");
    await signIn.close();

    await page.fill("#code", code);
    await page.click("#use-code");
    await message(page, "Connected ");
    expect(await page.textContent("#connection-status")).toMatch(/^Signed in /);
    expect(await page.inputValue("#code")).toBe("");
    expect(await page.$$eval("#org option", (os) => os.map((o) => o.textContent))).toEqual(
      expect.arrayContaining(["VCX Demo Co (US)"]),
    );
    expect(await page.textContent("#health")).toMatch(/ConnectionHealthy/);
    // A code works once.
    const replay = await fetch(`${stack.api}/v1/auth/exchange`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code }),
    });
    expect(replay.status).toBe(401);
    await page.screenshot({
      path: join(ARTIFACTS, "pane-e2e-preview-connected.png"),
      animations: "disabled",
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
