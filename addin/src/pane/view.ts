/**
 * The task pane's DOM: built once, updated from PaneState on every change. Plain DOM + CSS with Fluent 2
 * design tokens (taskpane.css) — no UI framework, so the bundle stays small and starts fast in Excel.
 * All user data goes in through textContent, never innerHTML.
 */
import { currencyScale, minorToDecimal } from "../../../worker/domain/money";
import { previousPeriod } from "../model/month-end";
import { jobControls } from "../model/posting";
import type { PaneState } from "../model/state";
import type { PaneController } from "./controller";

type Attrs = Record<string, string>;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

const button = (id: string, label: string, primary = false) =>
  h("button", { id, type: "button", class: primary ? "btn primary" : "btn" }, label);

export interface ViewOptions {
  preview: boolean;
  /** Ribbon button that opened the pane: focus that section. */
  action?: string | null;
}

export function mountPane(root: HTMLElement, ctl: PaneController, options: ViewOptions): void {
  const status = h("div", { id: "connection-status", class: "muted" }, "Not connected");
  const orgSelect = h("select", { id: "org", "aria-label": "Organisation" });
  const codeInput = h("input", {
    id: "code",
    type: "text",
    placeholder: "One-time code",
    "aria-label": "One-time code",
  });
  const codeRow = h("div", { class: "row", id: "code-row" }, codeInput, button("use-code", "Use code"));
  const health = h("dl", { id: "health", class: "facts" });
  const validation = h("div", { id: "validation", class: "muted" });
  const fileInput = h("input", { id: "file", type: "file", accept: ".csv,.xlsx,.xls,.txt,.edi,.820" });
  const importInfo = h("div", { id: "import-info", class: "muted" });
  const totals = h("div", { id: "totals" });
  const bar = h("div", { class: "bar-fill", id: "progress-fill" });
  const progressEl = h(
    "div",
    { class: "bar", id: "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100" },
    bar,
  );
  const progressLabel = h("div", { id: "progress-label", class: "muted" });
  const postReason = h("div", { id: "post-reason", class: "muted" });
  const failuresList = h("ul", { id: "failures", class: "failures" });
  const message = h("div", { id: "message", class: "message", role: "status", "aria-live": "polite" });
  const dirty = h("span", { id: "dirty", class: "badge warn" });
  const monitor = h("dl", { id: "monitor", class: "facts" });
  const undoReason = h("div", { id: "undo-reason", class: "muted" });
  const poFile = h("input", { id: "po-file", type: "file", accept: ".json,.edi,.x12,.txt,.850,.855" });
  const poInfo = h("div", { id: "po-info", class: "muted" });
  const period = h("input", {
    id: "period",
    type: "text",
    placeholder: "YYYY-MM",
    "aria-label": "Month (YYYY-MM)",
    value: previousPeriod(new Date()),
  });
  const monthInfo = h("div", { id: "month-end-info", class: "muted" });
  const JOB_BUTTONS = new Set(["pause-btn", "resume-btn", "cancel-btn"]);

  const section = (id: string, title: string, ...children: (Node | string)[]) =>
    h("section", { id, class: "card" }, h("h2", {}, title), ...children);

  root.replaceChildren(
    h(
      "header",
      { class: "top" },
      h("div", { class: "brand" }, h("span", { class: "logo" }, "V"), h("h1", {}, "VCX for Xero")),
      options.preview ? h("span", { class: "badge", id: "preview-badge" }, "Preview — no Excel") : "",
    ),
    message,
    section(
      "connect",
      "Xero connection",
      status,
      h("div", { class: "row" }, button("connect-btn", "Connect to Xero", true), orgSelect),
      codeRow,
      health,
      monitor,
      h("div", { class: "row" }, button("health-btn", "Check health")),
    ),
    section(
      "mappings",
      "Mapping sheets",
      h(
        "div",
        { class: "row" },
        button("refresh-lists", "Refresh lists"),
        button("load-mappings", "Load mappings"),
      ),
      h("div", { class: "row" }, button("validate", "Validate"), button("save", "Save", true), dirty),
      validation,
    ),
    section(
      "import",
      "Remittance",
      h("div", { class: "row" }, fileInput),
      h(
        "div",
        { class: "row" },
        button("import-file", "Import file", true),
        button("import-sheet", "Use active sheet"),
      ),
      importInfo,
      totals,
      h("div", { class: "row" }, button("resolve-btn", "Resolve selected exception")),
    ),
    section(
      "post",
      "Post to Xero",
      button("post-btn", "Post", true),
      postReason,
      progressEl,
      progressLabel,
      h(
        "div",
        { class: "row", id: "job-controls" },
        button("pause-btn", "Pause"),
        button("resume-btn", "Resume"),
        button("cancel-btn", "Cancel"),
      ),
      failuresList,
      h("div", { class: "row" }, button("undo-btn", "Undo posting")),
      undoReason,
    ),
    section(
      "purchase-orders",
      "Purchase orders",
      h("div", { class: "row" }, poFile),
      h(
        "div",
        { class: "row" },
        button("po-import", "Import PO file"),
        button("po-preview", "Preview"),
        button("po-post", "Post invoices", true),
      ),
      poInfo,
    ),
    section(
      "month-end",
      "Month-end",
      h("div", { class: "row" }, period, button("month-end-btn", "Month-end report")),
      monthInfo,
    ),
    section(
      "disputes",
      "Disputes",
      h(
        "div",
        { class: "row" },
        button("load-disputes", "Load disputes"),
        button("save-disputes", "Save statuses", true),
      ),
    ),
  );

  const ctlHasDialog = typeof Office !== "undefined" && !!Office.context?.ui?.displayDialogAsync;
  const on = (id: string, fn: () => unknown) =>
    root.querySelector(`#${id}`)?.addEventListener("click", () => {
      void fn();
    });
  on("connect-btn", () => {
    if (options.preview && !ctlHasDialog) window.open(ctl.signInUrl, "_blank", "noopener");
    return ctl.connect();
  });
  on("use-code", async () => {
    await ctl.connectWithCode(codeInput.value);
    // A one-time code works once: clear it once it has been used.
    if (ctl.state.message?.kind === "success") codeInput.value = "";
  });
  on("refresh-lists", () => ctl.refreshLists());
  on("load-mappings", () => ctl.loadMappings());
  on("validate", () => ctl.validate());
  on("save", () => ctl.save());
  on("import-file", async () => {
    const file = fileInput.files?.[0];
    if (!file) {
      fileInput.click();
      return;
    }
    await ctl.importFile(file.name, new Uint8Array(await file.arrayBuffer()));
  });
  on("import-sheet", () => ctl.importActiveSheet());
  on("post-btn", () => ctl.post());
  on("pause-btn", () => ctl.controlJob("pause"));
  on("resume-btn", () => ctl.controlJob("resume"));
  on("cancel-btn", () => ctl.controlJob("cancel"));
  on("undo-btn", () => ctl.undo());
  on("resolve-btn", () => ctl.resolveSelected());
  on("health-btn", () => ctl.refreshHealth());
  on("po-import", async () => {
    const file = poFile.files?.[0];
    if (!file) {
      poFile.click();
      return;
    }
    await ctl.importPurchaseOrders(file.name, new Uint8Array(await file.arrayBuffer()));
  });
  on("po-preview", () => ctl.previewPurchaseOrders());
  on("po-post", () => ctl.postPurchaseOrders());
  on("month-end-btn", () => ctl.monthEnd(period.value));
  on("load-disputes", () => ctl.loadDisputes());
  on("save-disputes", () => ctl.saveDisputes());
  orgSelect.addEventListener("change", () => void ctl.selectOrg(orgSelect.value));

  codeRow.hidden = ctlHasDialog;

  if (options.action)
    root.querySelector(`#${options.action === "post" ? "post" : "import"}`)?.scrollIntoView();

  ctl.subscribe((s) => render(s));

  function render(s: PaneState): void {
    message.textContent = s.message?.text ?? "";
    message.className = `message ${s.message?.kind ?? ""}`;
    message.hidden = !s.message;

    const connectBtn = root.querySelector<HTMLButtonElement>("#connect-btn");
    if (connectBtn) connectBtn.textContent = s.session ? "Reconnect" : "Connect to Xero";
    const who = s.session
      ? [s.session.user.name, s.session.user.email && `(${s.session.user.email})`].filter(Boolean).join(" ")
      : "";
    // Xero may not share the user's name or email (no openid/profile/email claims): say so plainly.
    status.textContent = s.session ? (who ? `Signed in as ${who}` : "Signed in to Xero") : "Not connected";
    orgSelect.replaceChildren(
      ...s.organisations.map((o) => {
        const opt = h("option", { value: o.id }, `${o.name}${o.connection === "ok" ? "" : " — reconnect"}`);
        opt.selected = o.id === s.orgId;
        return opt;
      }),
    );
    orgSelect.hidden = s.organisations.length === 0;
    const st = s.status;
    health.replaceChildren(
      ...(st
        ? [
            ["Connection", st.connection === "ok" ? "Healthy" : "Reconnect needed"],
            ["Lock date", st.periodLockDate ?? "none"],
            ["Year-end lock", st.endOfYearLockDate ?? "none"],
            [
              "API budget",
              `${st.apiBudget.dayRemaining} today · ${st.apiBudget.minuteRemaining} this minute`,
            ],
          ].flatMap(([k, v]) => [h("dt", {}, k ?? ""), h("dd", {}, v ?? "")])
        : []),
    );
    health.dataset["connection"] = st?.connection ?? "";

    dirty.textContent = s.dirtySheets.size > 0 ? `Unsaved: ${[...s.dirtySheets].join(", ")}` : "";
    dirty.hidden = s.dirtySheets.size === 0;
    validation.textContent = s.validation?.text ?? "";
    validation.className = s.validation ? (s.validation.ok ? "ok" : "error-text") : "muted";

    importInfo.textContent = s.fileName
      ? `${s.fileName}${s.review ? ` — ${s.review.rows.length} lines, ${s.review.blocking} blocking, ${s.review.warnings} warnings` : ""}`
      : "Choose a Vendor Central export or EDI 820, or open the export in Excel and use the active sheet.";
    totals.replaceChildren(...(s.review ? [totalsTable(s)] : []));

    const blocked = ctl.postBlocked;
    for (const b of root.querySelectorAll<HTMLButtonElement>("button"))
      if (!JOB_BUTTONS.has(b.id)) b.disabled = !!s.busy;
    const controls = jobControls(s.job && !s.job.finished ? s.job.state : undefined);
    const jobBtn = (id: string, enabled: boolean) => {
      const b = root.querySelector<HTMLButtonElement>(`#${id}`);
      if (b) {
        b.disabled = !enabled;
        b.hidden = !s.job || s.job.finished;
      }
    };
    jobBtn("pause-btn", controls.pause);
    jobBtn("resume-btn", controls.resume);
    jobBtn("cancel-btn", controls.cancel);
    const undoBlocked = ctl.undoBlocked;
    const undoBtn = root.querySelector<HTMLButtonElement>("#undo-btn");
    if (undoBtn) undoBtn.disabled = !!undoBlocked;
    undoReason.textContent = s.undoable
      ? (undoBlocked ?? "Undo reverses what was posted (void, never delete).")
      : "";
    const poPost = root.querySelector<HTMLButtonElement>("#po-post");
    if (poPost) poPost.disabled = !!ctl.poPostBlocked;
    poInfo.textContent = s.po
      ? `${s.po.orders} PO(s), ${s.po.lines} line(s), ${s.po.invoices} invoice(s) to post, ${s.po.blocking} blocking, ${s.po.warnings} warning(s) — previewed ${s.po.previewedAt.slice(0, 16).replace("T", " ")}`
      : "Import an Amazon PO file (SP-API JSON or X12 850/855), then preview the invoices.";
    monthInfo.textContent = s.monthEnd
      ? `${s.monthEnd.period}: ${s.monthEnd.flags.length} flag(s), ${s.monthEnd.differences} difference(s).`
      : "";
    monitor.replaceChildren(...(s.health?.facts ?? []).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
    monitor.dataset["state"] = s.health?.state ?? "";
    const postBtn = root.querySelector<HTMLButtonElement>("#post-btn");
    if (postBtn) postBtn.disabled = !!blocked;
    postReason.textContent = blocked ?? "Ready to post.";
    const pct = Math.round((s.job?.fraction ?? 0) * 100);
    bar.style.width = `${pct}%`;
    progressEl.setAttribute("aria-valuenow", String(pct));
    progressEl.hidden = !s.job;
    progressLabel.textContent = s.job?.label ?? "";
    failuresList.replaceChildren(...s.failures.map((f) => h("li", {}, f)));
  }
}

function totalsTable(s: PaneState): HTMLElement {
  const table = h("table", { class: "totals", id: "totals-table" });
  for (const t of s.review?.totals ?? []) {
    const money = (n: number) => {
      const [int = "", frac] = minorToDecimal(n, currencyScale(t.currency)).split(".");
      return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac === undefined ? "" : `.${frac}`}`;
    };
    table.append(
      h("tr", { class: "pay" }, h("th", { colspan: "2" }, `Payment ${t.paymentNumber} (${t.currency})`)),
    );
    const rows: [string, number][] = [
      ["Gross", t.gross],
      ...Object.entries(t.deductionsByKind).map(([k, v]): [string, number] => [k.replace(/_/g, " "), v]),
      ["Net", t.net],
      ["Bank deposit", t.bankDeposit],
      ["Difference", t.difference],
    ];
    for (const [k, v] of rows)
      table.append(
        h(
          "tr",
          k === "Difference" && v !== 0 ? { class: "bad" } : {},
          h("td", {}, k),
          h("td", { class: "num" }, money(v)),
        ),
      );
  }
  return table;
}
