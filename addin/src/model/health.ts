/** The pane's health section from `GET …/health` (issue 9): plain facts, worst first. Pure. */
import type { HealthView } from "../../../worker/domain/monitoring/health";

export type HealthJson = HealthView & {
  alertWebhook?: { configured: boolean; source: string | null; lastDelivery: unknown };
};

export interface HealthFacts {
  state: HealthJson["state"];
  facts: [string, string][];
}

const STATE_TEXT: Record<HealthJson["state"], string> = {
  ok: "All good",
  attention: "Needs attention",
  action_needed: "Action needed",
};

export function healthFacts(h: HealthJson): HealthFacts {
  const facts: [string, string][] = [["Health", STATE_TEXT[h.state] ?? h.state]];
  facts.push([
    "Xero connection",
    h.connection.status === "active" ? "Active" : h.connection.status.replace(/_/g, " "),
  ]);
  const old = (h.exceptions.byAge["61-90"] ?? 0) + (h.exceptions.byAge["91+"] ?? 0);
  facts.push(["Open exceptions", `${h.exceptions.total}${old > 0 ? ` (${old} older than 60 days)` : ""}`]);
  const sev = h.alerts.bySeverity;
  const parts = [
    sev.critical ? `${sev.critical} critical` : "",
    sev.warning ? `${sev.warning} warning` : "",
    sev.info ? `${sev.info} info` : "",
  ].filter(Boolean);
  facts.push(["Open alerts", `${h.alerts.total}${parts.length ? ` (${parts.join(", ")})` : ""}`]);
  if (h.apiBudget)
    facts.push([
      "API budget",
      `${h.apiBudget.remaining} of ${h.apiBudget.limit} left today (${Math.round(h.apiBudget.percentLeft)}%)`,
    ]);
  if (h.jobs.running || h.jobs.queued || h.jobs.failed)
    facts.push(["Jobs", `${h.jobs.running} running, ${h.jobs.queued} queued, ${h.jobs.failed} failed`]);
  if (h.lastImportAt) facts.push(["Last import", h.lastImportAt.slice(0, 16).replace("T", " ")]);
  if (h.lastPostAt) facts.push(["Last post", h.lastPostAt.slice(0, 16).replace("T", " ")]);
  return { state: h.state, facts };
}
