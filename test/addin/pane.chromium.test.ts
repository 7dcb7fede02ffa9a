/**
 * The built task pane in real Chromium (playwright-core + @sparticuz/chromium): served by a local server
 * that also plays the Worker (stub backed by the real core), Office stubbed by an init script, the
 * in-memory workbook behind the pane. Clicks through connect → lists → mappings → validate → save →
 * import → review → post and checks what lands in the sheets. Screenshots go to addin/dist/test-artifacts/.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import chromium from "@sparticuz/chromium";
import { type Browser, type Page, chromium as playwright } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAddin } from "../../scripts/build-addin";
import { EXAMPLES } from "../core/po/builders";
import { type StubWorker, startStubWorker } from "./support/stub-worker";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ARTIFACTS = join(root, "addin/dist/test-artifacts");
const outDir = join(tmpdir(), `vcx-addin-e2e-${process.pid}`);
let worker: StubWorker;
let browser: Browser;

beforeAll(async () => {
  worker = await startStubWorker({
    staticDir: outDir,
    mounts: { "/office-js/": join(root, "node_modules/@microsoft/office-js/dist") },
    runningPolls: 2,
  });
  await buildAddin({ outDir, apiUrl: worker.url, officeJs: "local" });
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    // --single-process takes the whole browser down when a page closes.
    args: chromium.args.filter((a) => a !== "--single-process"),
    headless: true,
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await worker?.close();
});

/** Office outside Excel, with a dialog that "signs in" and posts the one-time code back. */
const OFFICE_STUB = () => {
  const w = window as unknown as Record<string, unknown>;
  w["__dialogUrls"] = [];
  w["Office"] = {
    onReady: () => Promise.resolve({ host: null, platform: null }),
    HostType: { Excel: "Excel" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    EventType: { DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
    context: {
      ui: {
        displayDialogAsync(url: string, _opts: unknown, cb: (r: unknown) => void) {
          (w["__dialogUrls"] as string[]).push(url);
          const handlers: Record<string, (arg: unknown) => void> = {};
          const dialog = {
            addEventHandler: (type: string, h: (arg: unknown) => void) => {
              handlers[type] = h;
            },
            close: () => {
              w["__dialogClosed"] = true;
            },
          };
          cb({ status: "succeeded", value: dialog });
          setTimeout(
            () =>
              handlers["dialogMessageReceived"]?.({
                message: JSON.stringify({ type: "vcx-auth", code: "otc-1" }),
              }),
            5,
          );
        },
      },
    },
  };
};

async function stubbedPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 360, height: 1100 } });
  // office.js itself is replaced by the stub above (it would overwrite window.Office).
  await page.route("**/office-js/office.js", (r) => r.fulfill({ contentType: "text/javascript", body: "" }));
  await page.addInitScript(OFFICE_STUB);
  await page.goto(`${worker.url}/taskpane.html`);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

const table = (page: Page, name: string) =>
  page.evaluate(
    (n) =>
      (
        (window as unknown as { vcx: { workbook: unknown } }).vcx.workbook as unknown as {
          table(n: string): unknown[][];
        }
      ).table(n),
    name,
  );

const message = (page: Page, text: string) =>
  page.waitForFunction((t) => document.querySelector("#message")?.textContent?.includes(t), text);

describe("task pane in Chromium", () => {
  it("boots in preview mode with the offline @microsoft/office-js (Office.onReady, no host)", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${worker.url}/taskpane.html`);
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.evaluate(() => window.vcx?.preview)).toBe(true);
    expect(await page.textContent("#preview-badge")).toMatch(/Preview/);
    expect(await page.isDisabled("#post-btn")).toBe(true);
    expect(await page.textContent("#post-reason")).toBe("Connect to Xero first.");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("connect → lists → mappings → validate → save → import → review → post", async () => {
    const page = await stubbedPage();

    await page.click("#connect-btn");
    await message(page, "Connected as Fin Ance");
    const dialogUrl = new URL(
      (await page.evaluate(() => (window as unknown as { __dialogUrls: string[] }).__dialogUrls))[0] ?? "",
    );
    expect(dialogUrl.origin + dialogUrl.pathname).toBe(`${worker.url}/dialog.html`);
    expect(dialogUrl.searchParams.get("to")).toBe(
      `${worker.url}/v1/auth/xero/start?return=${encodeURIComponent(worker.url)}`,
    );
    expect(await page.textContent("#health")).toMatch(/Lock date2026-01-31/);
    expect(await page.textContent("#health")).toMatch(/4990 today/);

    await page.click("#refresh-lists");
    await message(page, "Lists refreshed");
    await page.click("#load-mappings");
    await message(page, "Mappings version");

    // An invalid account code typed into Deductions is flagged on its cell.
    const j = ((await table(page, "VcxDeductions"))[0] as string[]).indexOf("Account Code");
    const original = ((await table(page, "VcxDeductions"))[1] as string[])[j];
    await page.evaluate(
      (col) =>
        (
          (window as unknown as { vcx: { workbook: unknown } }).vcx.workbook as unknown as {
            userEdit(...a: unknown[]): void;
          }
        ).userEdit("Deductions", 1, col, "9999"),
      j,
    );
    await page.waitForSelector("#dirty:not([hidden])");
    expect(await page.isDisabled("#post-btn")).toBe(true);
    await page.click("#validate");
    await page.waitForFunction(() =>
      document.querySelector("#validation")?.textContent?.includes("1 problem"),
    );
    const marks = await page.evaluate(
      () =>
        (
          (window as unknown as { vcx: { workbook: unknown } }).vcx.workbook as unknown as {
            sheets: Map<string, { marks: { address: string; note: string }[] }>;
          }
        ).sheets.get("Deductions")?.marks,
    );
    expect(marks).toEqual([
      { address: `${String.fromCharCode(65 + j)}2`, note: expect.stringMatching(/9999/), fill: "#FDE7E9" },
    ]);
    await page.screenshot({
      path: join(ARTIFACTS, "pane-validation.png"),
      fullPage: true,
      animations: "disabled",
    });

    await page.evaluate(
      ([col, v]) =>
        (
          (window as unknown as { vcx: { workbook: unknown } }).vcx.workbook as unknown as {
            userEdit(...a: unknown[]): void;
          }
        ).userEdit("Deductions", 1, col, v),
      [j, original] as const,
    );
    await page.click("#save");
    await message(page, "Mappings saved");
    expect(Object.keys(worker.saved).sort()).toEqual(["Deductions", "SKUs", "Settings"]);

    await page.setInputFiles("#file", join(root, "test/fixtures/remittances/us-40311877.csv"));
    await page.click("#import-file");
    await page.waitForSelector("#totals-table");
    const totals = await page.textContent("#totals-table");
    expect(totals).toMatch(/Gross15,000\.00/);
    expect(totals).toMatch(/Net12,770\.00/);
    expect(totals).toMatch(/Difference0\.00/);
    expect(await page.isDisabled("#post-btn")).toBe(false);

    await page.click("#post-btn");
    await message(page, "Posting done");
    expect(await page.getAttribute("#progress", "aria-valuenow")).toBe("100");
    expect(await page.isDisabled("#post-btn")).toBe(true);
    expect(await page.textContent("#post-reason")).toMatch(/has been posted/);
    await page.screenshot({
      path: join(ARTIFACTS, "pane-posted.png"),
      fullPage: true,
      animations: "disabled",
    });

    const review = await table(page, "VcxReview");
    const head = review[0] as string[];
    const body = review.slice(1) as unknown[][];
    expect(body.map((r) => r[head.indexOf("Document Number")])).toEqual([
      "INV-A",
      "INV-B",
      "INV-BSC",
      "123VCBSINV",
      "3210-00000001",
      "260201_PROVISION_FOR_RECEIVABLES",
      "INV-CPC",
    ]);
    expect(body.every((r) => r[head.indexOf("Status")] === "posted")).toBe(true);
    expect(body.every((r) => /^xero-\d{4}/.test(String(r[head.indexOf("Xero ID")])))).toBe(true);
    expect(String(body[0]?.[head.indexOf("Xero Link")])).toMatch(/^https:\/\/go\.xero\.com\//);
    const log = await table(page, "VcxPostingLog");
    expect(log.length - 1).toBe(worker.posted.length);
    expect(
      await page.evaluate(
        () =>
          (
            (window as unknown as { vcx: { workbook: unknown } }).vcx.workbook as unknown as {
              stats: { formulas: string[] };
            }
          ).stats.formulas,
      ),
    ).toEqual([]);

    // Health section, Undo, purchase orders and the month-end report.
    expect(await page.textContent("#monitor")).toMatch(/Xero connectionActive/);
    expect(await page.isDisabled("#undo-btn")).toBe(false);
    await page.click("#undo-btn");
    await message(page, "Undo done");
    expect(await page.isDisabled("#post-btn")).toBe(false);
    expect((await table(page, "VcxPostingLog")).some((r) => r.includes("reversed"))).toBe(true);

    await page.setInputFiles(
      "#po-file",
      fileURLToPath(new URL("vendorOrders.getPurchaseOrdersStatus.200.json", EXAMPLES)),
    );
    await page.click("#po-import");
    await message(page, "invoice(s) to post");
    expect(await page.textContent("#po-info")).toMatch(/1 invoice\(s\) to post/);
    const pos = await table(page, "VcxPurchaseOrders");
    expect(pos.slice(1).some((r) => r.includes("2JK3S9VB-1"))).toBe(true);
    await page.click("#po-post");
    await message(page, "PO invoices done");

    await page.fill("#period", "2026-02");
    await page.click("#month-end-btn");
    await message(page, "Month-end 2026-02");
    expect(await page.textContent("#month-end-info")).toMatch(/1 difference/);
    expect((await table(page, "VcxMonthEnd")).some((r) => r.includes("difference"))).toBe(true);
    await page.screenshot({
      path: join(ARTIFACTS, "pane-operations.png"),
      fullPage: true,
      animations: "disabled",
    });
    await page.close();
  });
});
