/**
 * The pane's behaviour: every button is a method here. It talks to the workbook only through the
 * WorkbookAdapter and to the Worker only through VcxApi, so it runs the same against Excel, the in-memory
 * workbook (browser preview, tests) and a stub Worker.
 */
import type { VcxApi } from "../api/client";
import { ApiError } from "../api/client";
import type { ListLengths, WorkbookAdapter } from "../excel/adapter";
import { exceptionRows } from "../model/exceptions";
import { gridToRecords, recordsToRows, remittanceGrid, textGrid, trimGrid } from "../model/grid";
import { listsFromReference } from "../model/lists";
import { FINISHED, failures, type Job, logRows, progress, stampColumns } from "../model/posting";
import { buildReview } from "../model/review";
import {
  DEDUCTIONS_BY_KIND_SHEET,
  EXCEPTIONS_SHEET,
  MAPPING_SHEET_DEFS,
  POSTING_LOG_SHEET,
  REVIEW_SHEET,
  TOTALS_SHEET,
} from "../model/sheets";
import { initialState, type PaneState, postBlockedReason } from "../model/state";
import type { PlanJson, RemittanceJson } from "../model/types";
import { type MappingValidationError, marksFromErrors, summaryText } from "../model/validation";

export interface ControllerDeps {
  workbook: WorkbookAdapter;
  api: VcxApi;
  /** Opens the sign-in dialog at `url` and resolves with the one-time code (undefined: no dialog here). */
  signIn?: (url: string) => Promise<string>;
  /** Origin the Worker sends the dialog back to. */
  origin: string;
  pollMs?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** Review sits at A1; its totals and the chart data sit to the right, clear of the review's filters. */
const TOTALS_AT = { row: 0, column: REVIEW_SHEET.columns.length + 1 };
const BY_KIND_AT = { row: 0, column: TOTALS_AT.column + TOTALS_SHEET.columns.length + 1 };

export class PaneController {
  state: PaneState = initialState();
  private lists: ListLengths = {};
  private remittance?: RemittanceJson;
  private plan?: PlanJson;
  private readonly listeners = new Set<(s: PaneState) => void>();
  private unwatch?: () => Promise<void>;

  constructor(private readonly deps: ControllerDeps) {}

  subscribe(fn: (s: PaneState) => void): () => void {
    this.listeners.add(fn);
    fn(this.state);
    return () => this.listeners.delete(fn);
  }

  get postBlocked(): string | undefined {
    return postBlockedReason(this.state);
  }

  get signInUrl(): string {
    return this.deps.api.signInUrl(this.deps.origin);
  }

  // ---- connection ---------------------------------------------------------------------------

  /** "Connect to Xero": the Office dialog → Worker OAuth → one-time code → session. */
  connect(): Promise<void> {
    return this.task("Connecting to Xero…", async () => {
      if (!this.deps.signIn) throw new Error("Open the sign-in page, then paste the one-time code it shows.");
      const code = await this.deps.signIn(this.signInUrl);
      await this.exchange(code);
    });
  }

  /** Exchange a one-time code (from the dialog, or pasted in preview mode) for a session. */
  connectWithCode(code: string): Promise<void> {
    return this.task("Connecting to Xero…", () => this.exchange(code.trim()));
  }

  private async exchange(code: string): Promise<void> {
    const session = await this.deps.api.exchange(code);
    this.deps.api.setToken(session.token);
    this.state.session = session;
    this.state.organisations = await this.deps.api.organisations();
    const first = this.state.organisations[0];
    if (first) await this.loadOrg(first.id);
    this.unwatch ??= await this.deps.workbook.watchEdits(
      MAPPING_SHEET_DEFS.map((d) => d.name),
      (sheet) => {
        this.state.dirtySheets.add(sheet);
        this.emit();
      },
    );
    const who = session.user.name ?? session.user.email;
    this.info("success", who ? `Connected as ${who}.` : "Connected to Xero.");
  }

  selectOrg(orgId: string): Promise<void> {
    return this.task("Loading organisation…", () => this.loadOrg(orgId));
  }

  private async loadOrg(orgId: string): Promise<void> {
    this.state.orgId = orgId;
    this.state.status = await this.deps.api.status(orgId);
  }

  // ---- mapping sheets -----------------------------------------------------------------------

  /** Refresh reference data from Xero into the hidden Lists sheet and (re)attach the dropdowns. */
  refreshLists(): Promise<void> {
    return this.task("Refreshing lists from Xero…", async () => {
      const orgId = this.requireOrg();
      const ref = await this.deps.api.reference(orgId, true);
      this.lists = await this.deps.workbook.writeLists(listsFromReference(ref));
      for (const def of MAPPING_SHEET_DEFS) await this.deps.workbook.ensureTable(def, this.lists);
      this.info(
        "success",
        `Lists refreshed: ${this.lists.accounts ?? 0} accounts, ${this.lists.taxTypes ?? 0} tax types, ${this.lists.items ?? 0} items.`,
      );
    });
  }

  /** Write the organisation's saved mappings into the three sheets (replacing what is there). */
  loadMappings(): Promise<void> {
    return this.task("Loading mappings…", async () => {
      const orgId = this.requireOrg();
      const m = await this.deps.api.mappings(orgId);
      for (const def of MAPPING_SHEET_DEFS) {
        const grid = m.sheets[def.name] ?? [def.columns.map((c) => c.header)];
        await this.deps.workbook.writeTable(
          def,
          recordsToRows(def, gridToRecords(def, grid)),
          {},
          this.lists,
        );
      }
      this.state.dirtySheets.clear();
      if (m.version === 0) {
        const name = this.state.organisations.find((o) => o.id === orgId)?.name ?? "this organisation";
        this.info("info", `No mappings saved for ${name} yet: fill in the sheets, then Validate and Save.`);
      } else this.info("success", `Mappings version ${m.version} loaded.`);
    });
  }

  private async readMappingGrids(): Promise<{
    grids: Record<string, string[][]>;
    headers: Record<string, string[]>;
  }> {
    const grids: Record<string, string[][]> = {};
    const headers: Record<string, string[]> = {};
    for (const def of MAPPING_SHEET_DEFS) {
      const values = await this.deps.workbook.readTable(def);
      if (!values) continue;
      const grid = trimGrid(textGrid(values));
      grids[def.name] = grid;
      headers[def.name] = grid[0] ?? [];
    }
    return { grids, headers };
  }

  private async showValidation(errors: readonly MappingValidationError[], headers: Record<string, string[]>) {
    const summary = marksFromErrors(errors, headers);
    for (const def of MAPPING_SHEET_DEFS)
      if (headers[def.name])
        await this.deps.workbook.markCells(
          def.name,
          summary.marks.filter((m) => m.sheet === def.name),
        );
    const general = summary.general.map((e) => `${e.sheet}: ${e.message}`);
    this.state.validation = { ok: errors.length === 0, text: [summaryText(summary), ...general].join(" ") };
    return summary;
  }

  validate(): Promise<boolean | undefined> {
    return this.task("Validating mappings…", async () => {
      const orgId = this.requireOrg();
      const { grids, headers } = await this.readMappingGrids();
      const res = await this.deps.api.validateMappings(orgId, grids);
      await this.showValidation(res.errors, headers);
      return res.ok;
    });
  }

  /** Validate, then replace each sheet's mapping in the Worker. Nothing is saved while anything is invalid. */
  save(): Promise<boolean | undefined> {
    return this.task("Saving mappings…", async () => {
      const orgId = this.requireOrg();
      const { grids, headers } = await this.readMappingGrids();
      const check = await this.deps.api.validateMappings(orgId, grids);
      await this.showValidation(check.errors, headers);
      if (!check.ok) {
        this.info("error", "Not saved: fix the marked cells first.");
        return false;
      }
      let version = 0;
      for (const [sheet, rows] of Object.entries(grids)) {
        const r = await this.deps.api.saveMapping(orgId, sheet, rows);
        if (!r.ok) {
          await this.showValidation(r.errors, headers);
          this.info("error", `${sheet} was not saved: fix the marked cells.`);
          return false;
        }
        version = r.version;
        this.state.dirtySheets.delete(sheet);
      }
      this.info("success", `Mappings saved (version ${version}).`);
      return true;
    });
  }

  // ---- remittance → review ------------------------------------------------------------------

  importFile(fileName: string, bytes: Uint8Array): Promise<void> {
    return this.task(`Importing ${fileName}…`, async () => {
      const orgId = this.requireOrg();
      await this.afterUpload(fileName, await this.deps.api.uploadFile(orgId, fileName, bytes));
    });
  }

  importActiveSheet(): Promise<void> {
    return this.task("Reading the active sheet…", async () => {
      const orgId = this.requireOrg();
      const sheet = await this.deps.workbook.readActiveSheet();
      const rows = remittanceGrid(sheet.values);
      const fileName = `${sheet.name}.xlsx`;
      await this.afterUpload(
        fileName,
        await this.deps.api.uploadGrid(orgId, { fileName, sheetName: sheet.name, rows }),
      );
    });
  }

  private async afterUpload(fileName: string, r: Awaited<ReturnType<VcxApi["uploadFile"]>>): Promise<void> {
    this.remittance = r.remittance;
    this.state.fileName = fileName;
    if (!r.ok || !r.id) {
      const problems = (r.remittance?.problems ?? []).filter((p) => p.severity === "error");
      this.state.remittanceId = undefined;
      this.state.review = undefined;
      throw new Error(
        [
          r.error?.message ?? "The file could not be imported.",
          ...problems.slice(0, 5).map((p) => `${p.row ? `Row ${p.row}: ` : ""}${p.message}`),
        ].join(" "),
      );
    }
    this.state.remittanceId = r.id;
    await this.previewNow();
  }

  /** Preview the plan and write Review (+ totals, chart) and Exceptions. */
  preview(): Promise<void> {
    return this.task("Previewing…", () => this.previewNow());
  }

  private async previewNow(): Promise<void> {
    const orgId = this.requireOrg();
    const id = this.state.remittanceId;
    if (!id || !this.remittance) throw new Error("Import a remittance first.");
    this.plan = await this.deps.api.preview(orgId, id);
    const review = buildReview(this.remittance, this.plan);
    const wb = this.deps.workbook;
    await wb.writeTable(REVIEW_SHEET, review.rows);
    await wb.writeTable(TOTALS_SHEET, review.totalsRows, TOTALS_AT);
    await wb.writeTable(DEDUCTIONS_BY_KIND_SHEET, review.byKindRows, BY_KIND_AT);
    await wb.addChart({
      sheet: REVIEW_SHEET.name,
      table: DEDUCTIONS_BY_KIND_SHEET.table,
      title: "Deductions by kind",
      row: Math.max(review.byKindRows.length, review.totalsRows.length) + 3,
      column: TOTALS_AT.column,
    });
    const stored = await this.deps.api.exceptions(orgId, { remittanceId: id, status: "open" });
    await wb.writeTable(EXCEPTIONS_SHEET, exceptionRows(this.plan, stored, this.now()));
    await wb.activate(REVIEW_SHEET.name);
    this.state.review = review;
    this.state.failures = [];
    this.state.job = undefined;
    const lines = review.rows.length;
    this.info(
      review.blocking > 0 ? "error" : "success",
      `${lines} line${lines === 1 ? "" : "s"} reviewed${review.blocking ? `, ${review.blocking} blocking exception(s)` : ""}${review.warnings ? `, ${review.warnings} warning(s)` : ""}.`,
    );
  }

  /** Mark a stored exception resolved and preview again. */
  resolveException(exceptionId: string): Promise<void> {
    return this.task("Resolving…", async () => {
      await this.deps.api.updateException(this.requireOrg(), exceptionId, { status: "resolved" });
      await this.previewNow();
    });
  }

  // ---- posting ------------------------------------------------------------------------------

  post(): Promise<Job | undefined> {
    const blocked = this.postBlocked;
    if (blocked) {
      this.info("error", blocked);
      return Promise.resolve(undefined);
    }
    return this.task("Posting…", async () => {
      const orgId = this.requireOrg();
      const remittanceId = this.state.remittanceId!;
      const { jobId } = await this.deps.api.post(orgId, remittanceId);
      let job = await this.deps.api.job(jobId);
      for (;;) {
        const p = progress(job);
        this.state.job = { id: jobId, ...p, finished: FINISHED.has(job.state) };
        this.emit();
        if (FINISHED.has(job.state)) break;
        await this.sleep(this.deps.pollMs ?? 1000);
        job = await this.deps.api.job(jobId);
      }
      const keys = this.state.review?.keys ?? [];
      await this.deps.workbook.writeColumns(REVIEW_SHEET, "Status", stampColumns(keys, job));
      const user = this.state.session?.user;
      const who = user?.email ?? user?.name ?? user?.id ?? "";
      await this.deps.workbook.appendRows(
        POSTING_LOG_SHEET,
        logRows(job, who, this.now(), this.state.fileName ?? remittanceId),
      );
      this.state.failures = failures(keys, job);
      this.info(
        job.failed > 0 || job.state !== "done" ? "error" : "success",
        `Posting ${job.state}: ${progress(job).label.replace(/ \(.*\)$/, "")}.`,
      );
      return job;
    });
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private sleep(ms: number): Promise<void> {
    return this.deps.sleep?.(ms) ?? new Promise((r) => setTimeout(r, ms));
  }

  private requireOrg(): string {
    if (!this.state.session) throw new Error("Connect to Xero first.");
    if (!this.state.orgId) throw new Error("Choose an organisation first.");
    return this.state.orgId;
  }

  private info(kind: "info" | "error" | "success", text: string): void {
    this.state.message = { kind, text };
    this.emit();
  }

  private emit(): void {
    for (const fn of this.listeners) fn(this.state);
  }

  /** Run one action: busy while it runs, its error shown in plain words, never thrown at a click handler. */
  private async task<T>(busy: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.state.busy = busy;
    this.state.message = { kind: "info", text: busy };
    this.emit();
    try {
      return await fn();
    } catch (e) {
      this.state.message = { kind: "error", text: describe(e) };
      return undefined;
    } finally {
      this.state.busy = undefined;
      if (this.state.message?.kind === "info" && this.state.message.text === busy)
        this.state.message = undefined;
      this.emit();
    }
  }
}

export function describe(e: unknown): string {
  if (e instanceof ApiError) {
    const issues = e.issues.slice(0, 3).map((i) => (i.cell ? `${i.cell}: ${i.message}` : i.message));
    return [e.message, ...issues].join(" ");
  }
  return e instanceof Error ? e.message : String(e);
}
