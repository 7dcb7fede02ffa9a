/**
 * Task pane entry. Office.onReady tells us where we run: inside Excel → the Office.js adapter; in a plain
 * browser (host null) → preview mode on an in-memory workbook, so the pane works without Excel.
 */
import { VcxApi } from "./api/client";
import { apiBaseUrl } from "./config";
import type { WorkbookAdapter } from "./excel/adapter";
import { MemoryWorkbook } from "./excel/memory";
import { OfficeWorkbook } from "./excel/office";
import { officeDialogSignIn } from "./pane/auth";
import { PaneController } from "./pane/controller";
import { mountPane } from "./pane/view";

declare global {
  interface Window {
    /** Handles for the browser preview and the end-to-end test. */
    vcx?: { controller: PaneController; workbook: WorkbookAdapter; preview: boolean };
  }
}

async function start(): Promise<void> {
  const info = typeof Office !== "undefined" ? await Office.onReady() : { host: null };
  const inExcel = info.host === Office?.HostType?.Excel;
  const workbook: WorkbookAdapter = inExcel ? new OfficeWorkbook() : new MemoryWorkbook();
  const api = new VcxApi({ baseUrl: apiBaseUrl(document, location.href) });
  const hasDialog = typeof Office !== "undefined" && !!Office.context?.ui?.displayDialogAsync;
  const controller = new PaneController({
    workbook,
    api,
    origin: location.origin,
    ...(hasDialog ? { signIn: officeDialogSignIn(location.href) } : {}),
  });
  const root = document.getElementById("app");
  if (!root) return;
  mountPane(root, controller, {
    preview: !inExcel,
    action: new URLSearchParams(location.search).get("action"),
  });
  window.vcx = { controller, workbook, preview: !inExcel };
  document.body.dataset["ready"] = "true";
}

void start();
