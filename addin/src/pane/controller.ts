/**
 * The pane's behaviour: every button is a method here. It talks to the workbook only through the
 * WorkbookAdapter and to the Worker only through VcxApi, so it runs the same against Excel, the in-memory
 * workbook (browser preview, tests) and a stub Worker.
 */
import type { VcxApi } from "../api/client";
import { ApiError } from "../api/client";
import type { ListLengths, WorkbookAdapter } from "../excel/adapter";
import { type ApiDispute, disputeChanges, disputeMark, disputeRows } from "../model/disputes";
import { exceptionRows } from "../model/exceptions";
import { gridToRecords, recordsToRows, remittanceGrid, textGrid, trimGrid } from "../model/grid";
import { healthFacts } from "../model/health";
import { listsFromReference } from "../model/lists";
import { isPeriod, monthEndSheet } from "../model/month-end";
import { FINISHED, failures, type Job, logRows, progress, stampColumns } from "../model/posting";
import { poRows } from "../model/purchase-orders";
import { buildReview } from "../model/review";
import {
  DEDUCTIONS_BY_KIND_SHEET,
  DISPUTES_SHEET,
  EXCEPTIONS_SHEET,
  MAPPING_SHEET_DEFS,
  MONTH_END_BY_KIND_SHEET,
  MONTH_END_SHEET,
  POSTING_LOG_SHEET,
  PURCHASE_ORDERS_SHEET,
  REVIEW_SHEET,
  TOTALS_SHEET,
} from "../model/sheets";
import {
  initialState,
  type PaneState,
  poPostBlockedReason,
  postBlockedReason,
  undoBlockedReason,
} from "../model/state";
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
/** Month-end: figures at A1, deductions by kind (the chart's data) to their right, the chart below that. */
const MONTH_END_BY_KIND_AT = { row: 0, column: MONTH_END_SHEET.columns.length + 1 };

export class PaneController {
  state: PaneState = initialState();
  private lists: ListLengths = {};
  private remittance?: RemittanceJson;
  private plan?: PlanJson;
  /** The dispute register as last loaded into the Disputes sheet: what edits are compared with. */
  private disputes: ApiDispute[] = [];
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

  get undoBlocked(): string | undefined {
    return undoBlockedReason(this.state);
  }

  get poPostBlocked(): string | undefined {
    return poPostBlockedReason(this.state);
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
    await this.loadHealth(orgId);
  }

  /** The health section: never fails the action that asked for it (an older Worker may not have the route). */
  private async loadHealth(orgId: string): Promise<void> {
    try {
      this.state.health = healthFacts(await this.deps.api.health(orgId));
    } catch {
      this.state.health = undefined;
    }
  }

  refreshHealth(): Promise<void> {
    return this.task("Checking health…", async () => {
      const orgId = this.requireOrg();
      this.state.health = healthFacts(await this.deps.api.health(orgId));
    });
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
    this.state.undoable = false;
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
    this.state.undoable = (this.plan.alreadyPosted ?? []).length > 0 || this.state.undoable;
    // A preview raises and clears exceptions and alerts: keep the health section current.
    await this.loadHealth(orgId);
    const lines = review.rows.length;
    this.info(
      review.blocking > 0 ? "error" : "success",
      `${lines} line${lines === 1 ? "" : "s"} reviewed${review.blocking ? `, ${review.blocking} blocking exception(s)` : ""}${review.warnings ? `, ${review.warnings} warning(s)` : ""}.`,
    );
  }

  /** Mark a stored exception resolved and preview again. */
  resolveException(exceptionId: string): Promise<void> {
    return this.task("Resolving…", async () => {
      await this.resolveNow(exceptionId);
    });
  }

  /** "Resolve" on the Exceptions sheet: the exception in the row holding the active cell. */
  resolveSelected(): Promise<void> {
    return this.task("Resolving…", async () => {
      const sel = await this.deps.workbook.selectedRow(EXCEPTIONS_SHEET);
      if (!sel) throw new Error("Select a row of the Exceptions sheet first.");
      const idCol = EXCEPTIONS_SHEET.columns.findIndex((c) => c.header === "Id");
      const codeCol = EXCEPTIONS_SHEET.columns.findIndex((c) => c.header === "Code");
      const id = String(sel.values[idCol] ?? "").trim();
      if (!id)
        throw new Error(
          `${String(sel.values[codeCol] ?? "This exception")} comes from the current plan: fix its cause (see Suggested Fix), then preview again.`,
        );
      await this.resolveNow(id);
    });
  }

  private async resolveNow(exceptionId: string): Promise<void> {
    const orgId = this.requireOrg();
    await this.deps.api.updateException(orgId, exceptionId, { status: "resolved" });
    if (this.state.remittanceId && this.remittance) await this.previewNow();
    else await this.loadHealth(orgId);
    this.info(
      "success",
      `Exception resolved${this.state.review ? "; the remittance was previewed again" : ""}.`,
    );
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
      const job = await this.follow(jobId, "post");
      await this.recordJob(job, this.state.fileName ?? remittanceId);
      if (job.posted > 0) this.state.undoable = true;
      this.info(
        job.failed > 0 || job.state !== "done" ? "error" : "success",
        `Posting ${job.state}: ${progress(job).label.replace(/ \(.*\)$/, "")}.`,
      );
      return job;
    });
  }

  /** Undo a posted remittance: the Worker queues reversing jobs (void, delete payments, reversing journals). */
  undo(): Promise<Job | undefined> {
    const blocked = this.undoBlocked;
    if (blocked) {
      this.info("error", blocked);
      return Promise.resolve(undefined);
    }
    return this.task("Undoing…", async () => {
      const orgId = this.requireOrg();
      const remittanceId = this.state.remittanceId!;
      const { jobIds } = await this.deps.api.undo(orgId, remittanceId);
      let last: Job | undefined;
      for (const id of jobIds) {
        last = await this.follow(id, "undo");
        await this.recordJob(last, this.state.fileName ?? remittanceId);
      }
      const job = last!;
      const reversed = job.reversed ?? job.documents.filter((d) => d.state === "reversed").length;
      if (job.state === "done" && job.failed === 0) this.state.undoable = false;
      this.info(
        job.failed > 0 || job.state !== "done" ? "error" : "success",
        `Undo ${job.state}: ${reversed} of ${job.total} document(s) reversed${job.failed ? `, ${job.failed} failed` : ""}.`,
      );
      return job;
    });
  }

  /** Pause / Resume / Cancel the running job. Not a `task`: it runs while Post is busy following the job. */
  async controlJob(action: "pause" | "resume" | "cancel"): Promise<Job | undefined> {
    const id = this.state.job?.id;
    if (!id || this.state.job?.finished) {
      this.info("error", "No posting job is running.");
      return undefined;
    }
    try {
      const job = await this.deps.api.jobAction(id, action);
      if (job?.state) this.showJob(job, this.state.job?.kind ?? "post");
      this.info(
        "info",
        action === "pause"
          ? "Posting paused: nothing more is sent until you resume."
          : action === "resume"
            ? "Posting resumed."
            : "Posting cancelled: what is not yet sent is held; what is posted stays posted.",
      );
      return job;
    } catch (e) {
      this.info("error", describe(e));
      return undefined;
    }
  }

  private showJob(job: Job, kind: "post" | "undo" | "po"): void {
    const p = progress(job);
    const label =
      kind === "undo"
        ? `${job.reversed ?? job.documents.filter((d) => d.state === "reversed").length} of ${job.total} reversed (${job.state})`
        : p.label;
    const fraction =
      kind === "undo" && job.total > 0
        ? Math.min(1, ((job.reversed ?? 0) + job.failed + job.held) / job.total)
        : p.fraction;
    this.state.job = {
      id: job.id,
      fraction,
      label,
      finished: FINISHED.has(job.state),
      state: job.state,
      kind,
    };
    this.emit();
  }

  /** Poll a job until it finishes (a paused job keeps being polled: Resume or Cancel moves it on). */
  private async follow(jobId: string, kind: "post" | "undo" | "po"): Promise<Job> {
    let job = await this.deps.api.job(jobId);
    for (;;) {
      this.showJob({ ...job, id: job.id ?? jobId }, kind);
      if (FINISHED.has(job.state)) return { ...job, id: job.id ?? jobId };
      await this.sleep(this.deps.pollMs ?? 1000);
      job = await this.deps.api.job(jobId);
    }
  }

  /** Stamp a remittance job's results into Review and append them to the Posting Log. */
  private async recordJob(job: Job, source: string): Promise<void> {
    const keys = this.state.review?.keys ?? [];
    if (keys.length > 0)
      await this.deps.workbook.writeColumns(REVIEW_SHEET, "Status", stampColumns(keys, job));
    await this.deps.workbook.appendRows(POSTING_LOG_SHEET, logRows(job, this.who(), this.now(), source));
    this.state.failures = failures(keys, job);
  }

  private who(): string {
    const user = this.state.session?.user;
    return user?.email ?? user?.name ?? user?.id ?? "";
  }

  // ---- purchase orders ----------------------------------------------------------------------

  /** Import a PO file (SP-API JSON or X12 850/855), then preview. */
  importPurchaseOrders(fileName: string, bytes: Uint8Array): Promise<void> {
    return this.task(`Importing ${fileName}…`, async () => {
      const orgId = this.requireOrg();
      const r = await this.deps.api.uploadPurchaseOrders(orgId, fileName, bytes);
      const errors = r.problems.filter((p) => p.severity === "error").length;
      await this.previewPosNow();
      const po = this.state.po;
      this.info(
        po && po.blocking > 0 ? "error" : "success",
        `${fileName}: ${r.import.orders} PO(s)${r.replayed ? " (already imported)" : ""}${errors ? `, ${errors} problem(s)` : ""}. ${this.poSummary()}`,
      );
    });
  }

  previewPurchaseOrders(): Promise<void> {
    return this.task("Previewing purchase orders…", async () => {
      await this.previewPosNow();
      this.info(this.state.po && this.state.po.blocking > 0 ? "error" : "success", this.poSummary());
    });
  }

  private poSummary(): string {
    const po = this.state.po;
    if (!po) return "";
    return `${po.lines} PO line(s), ${po.invoices} invoice(s) to post${po.blocking ? `, ${po.blocking} blocking exception(s)` : ""}${po.warnings ? `, ${po.warnings} warning(s)` : ""}.`;
  }

  private async previewPosNow(): Promise<void> {
    const orgId = this.requireOrg();
    const { plan, previewedAt } = await this.deps.api.previewPurchaseOrders(orgId);
    const sum = poRows(plan);
    await this.deps.workbook.writeTable(PURCHASE_ORDERS_SHEET, sum.rows);
    await this.deps.workbook.activate(PURCHASE_ORDERS_SHEET.name);
    this.state.po = {
      previewedAt,
      orders: sum.orders,
      lines: sum.rows.length,
      invoices: sum.invoices,
      blocking: sum.blocking,
      warnings: sum.warnings,
    };
  }

  /** Post the latest PO preview's invoices; results go to the Posting Log. */
  postPurchaseOrders(): Promise<Job | undefined> {
    const blocked = this.poPostBlocked;
    if (blocked) {
      this.info("error", blocked);
      return Promise.resolve(undefined);
    }
    return this.task("Posting PO invoices…", async () => {
      const orgId = this.requireOrg();
      const { jobId } = await this.deps.api.postPurchaseOrders(orgId);
      const job = await this.follow(jobId, "po");
      await this.deps.workbook.appendRows(
        POSTING_LOG_SHEET,
        logRows(job, this.who(), this.now(), `Purchase orders (${this.state.po?.previewedAt ?? ""})`),
      );
      this.state.failures = failures([], job);
      if (this.state.po) this.state.po = { ...this.state.po, invoices: 0 };
      this.info(
        job.failed > 0 || job.state !== "done" ? "error" : "success",
        `PO invoices ${job.state}: ${progress(job).label.replace(/ \(.*\)$/, "")}.`,
      );
      return job;
    });
  }

  // ---- month-end ----------------------------------------------------------------------------

  /** The "Month-end report" sheet: figures, differences flagged, deductions by kind charted. */
  monthEnd(period: string): Promise<void> {
    return this.task(`Building the month-end report for ${period}…`, async () => {
      const orgId = this.requireOrg();
      if (!isPeriod(period)) throw new Error("Enter the month as YYYY-MM, e.g. 2026-10.");
      const report = await this.deps.api.monthEnd(orgId, period.trim());
      const sheet = monthEndSheet(report);
      const wb = this.deps.workbook;
      await wb.writeTable(MONTH_END_SHEET, sheet.rows);
      await wb.writeTable(MONTH_END_BY_KIND_SHEET, sheet.byKindRows, MONTH_END_BY_KIND_AT);
      await wb.markCells(MONTH_END_SHEET.name, sheet.marks);
      await wb.addChart({
        sheet: MONTH_END_SHEET.name,
        table: MONTH_END_BY_KIND_SHEET.table,
        title: `Deductions by kind ${report.period}`,
        row: sheet.byKindRows.length + 3,
        column: MONTH_END_BY_KIND_AT.column,
      });
      await wb.activate(MONTH_END_SHEET.name);
      this.state.monthEnd = { period: report.period, differences: sheet.differences, flags: sheet.flags };
      this.info(
        sheet.flags.length > 0 ? "error" : "success",
        sheet.flags.length > 0
          ? `Month-end ${report.period}: ${sheet.flags.length} flag(s), ${sheet.differences} difference(s) with the ledger.`
          : `Month-end ${report.period}: everything ties to the ledger.`,
      );
    });
  }

  // ---- disputes -----------------------------------------------------------------------------

  /** "Load disputes": the register into the Disputes sheet, one row per deduction, Status as a dropdown. */
  loadDisputes(): Promise<void> {
    return this.task("Loading disputes…", async () => {
      const n = await this.loadDisputesNow([]);
      this.info("success", `${n} deduction${n === 1 ? "" : "s"} in the dispute register.`);
    });
  }

  private async loadDisputesNow(
    refused: readonly { key: string; column: "Status" | "Note" | "Key"; message: string }[],
  ): Promise<number> {
    const orgId = this.requireOrg();
    const r = await this.deps.api.disputes(orgId);
    this.disputes = r.disputes;
    const wb = this.deps.workbook;
    await wb.writeTable(DISPUTES_SHEET, disputeRows(r.disputes));
    const header = DISPUTES_SHEET.columns.map((c) => c.header);
    const marks = refused.flatMap((x) => {
      const i = r.disputes.findIndex((d) => d.id === x.key);
      return i < 0 ? [] : [disputeMark(header, i, x.column, x.message)];
    });
    await wb.markCells(DISPUTES_SHEET.name, marks);
    await wb.activate(DISPUTES_SHEET.name);
    return r.disputes.length;
  }

  /**
   * "Save statuses": one PATCH per row whose Status or Note differs from what was loaded; moves the Worker
   * refuses (409 invalid_transition) are marked on their Status cell with the reason, then the register is
   * loaded again.
   */
  saveDisputes(): Promise<{ saved: number; refused: number } | undefined> {
    return this.task("Saving dispute statuses…", async () => {
      const orgId = this.requireOrg();
      const values = await this.deps.workbook.readTable(DISPUTES_SHEET);
      if (!values || this.disputes.length === 0) throw new Error("Load disputes first.");
      const header = (values[0] ?? []).map((v) => String(v ?? ""));
      const keyCol = header.findIndex((h) => h.trim().toLowerCase() === "key");
      const changes = disputeChanges(values, this.disputes);
      const refused = changes.problems.map((p) => ({
        key: String(values[p.index + 1]?.[keyCol] ?? ""),
        column: p.column,
        message: p.message,
      }));
      let saved = 0;
      for (const p of changes.patches) {
        try {
          await this.deps.api.updateDispute(orgId, p.key, p.body);
          saved++;
        } catch (e) {
          if (!(e instanceof ApiError) || (e.status !== 409 && e.status !== 404)) throw e;
          refused.push({ key: p.key, column: "Status", message: e.message });
        }
      }
      await this.loadDisputesNow(refused);
      if (saved + refused.length === 0) this.info("info", "No status or note was changed.");
      else
        this.info(
          refused.length > 0 ? "error" : "success",
          `${saved} dispute${saved === 1 ? "" : "s"} saved${refused.length ? `, ${refused.length} refused: see the marked cells` : ""}.`,
        );
      return { saved, refused: refused.length };
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
