/**
 * The per-organisation health view (Worker endpoint, add-in pane section) as a pure summary of records the
 * Worker already keeps: last successful import and post, open exceptions by age and kind, API budget,
 * connection state, open alerts.
 */
import { type Alert, type AlertSeverity, dedupeAlerts } from "./alerts";
import { daysBetween } from "./disputes";
import type { ApiBudget, ConnectionRecord, JobRecord } from "./drift";
import { AGE_BUCKETS, type AgeBucket, ageBucket } from "./month-end";

export interface OpenException {
  code: string;
  severity: string;
  /** YYYY-MM-DD the exception was first raised. */
  raisedOn: string;
}

export interface HealthInput {
  organisationId: string;
  organisationName?: string;
  /** ISO timestamp (the caller's clock). */
  now: string;
  connection?: ConnectionRecord;
  budget?: ApiBudget;
  /** Recent jobs (imports, posts). */
  jobs?: readonly JobRecord[];
  /** ISO timestamp of the last remittance imported (uploaded and parsed without errors). */
  lastImportAt?: string;
  exceptions?: readonly OpenException[];
  alerts?: readonly Alert[];
}

export type HealthState = "ok" | "attention" | "action_needed";

export interface HealthView {
  organisationId: string;
  organisationName?: string;
  state: HealthState;
  connection: { status: ConnectionRecord["status"] | "unknown"; refreshTokenExpiresAt?: string };
  apiBudget?: { remaining: number; limit: number; day: string; percentLeft: number };
  lastImportAt?: string;
  lastPostAt?: string;
  jobs: { running: number; queued: number; failed: number };
  exceptions: { total: number; byKind: Record<string, number>; byAge: Record<AgeBucket, number> };
  alerts: { total: number; bySeverity: Record<AlertSeverity, number>; list: Alert[] };
}

export function healthView(input: HealthInput): HealthView {
  const today = input.now.slice(0, 10);
  const jobs = input.jobs ?? [];
  const lastPost = jobs
    .filter((j) => j.status === "succeeded" && /post/i.test(j.type))
    .map((j) => j.updatedAt)
    .sort()
    .at(-1);
  const byKind: Record<string, number> = {};
  const byAge: Record<AgeBucket, number> = Object.fromEntries(AGE_BUCKETS.map((b) => [b, 0])) as Record<
    AgeBucket,
    number
  >;
  for (const e of input.exceptions ?? []) {
    byKind[e.code] = (byKind[e.code] ?? 0) + 1;
    byAge[ageBucket(Math.max(0, daysBetween(e.raisedOn, today)))] += 1;
  }
  const alerts = dedupeAlerts(input.alerts ?? []);
  const bySeverity: Record<AlertSeverity, number> = { critical: 0, warning: 0, info: 0 };
  for (const a of alerts) bySeverity[a.severity] += 1;
  const connection = input.connection?.status ?? "unknown";
  const failed = jobs.filter((j) => j.status === "failed").length;
  const blocking = (input.exceptions ?? []).filter((e) => e.severity === "blocking").length;
  const state: HealthState =
    connection !== "active" || bySeverity.critical > 0 || failed > 0
      ? "action_needed"
      : bySeverity.warning > 0 || blocking > 0
        ? "attention"
        : "ok";
  return {
    organisationId: input.organisationId,
    ...(input.organisationName !== undefined ? { organisationName: input.organisationName } : {}),
    state,
    connection: {
      status: connection,
      ...(input.connection?.refreshTokenExpiresAt !== undefined
        ? { refreshTokenExpiresAt: input.connection.refreshTokenExpiresAt }
        : {}),
    },
    ...(input.budget
      ? {
          apiBudget: {
            remaining: input.budget.remaining,
            limit: input.budget.limit,
            day: input.budget.day,
            percentLeft:
              input.budget.limit > 0 ? Math.floor((input.budget.remaining / input.budget.limit) * 100) : 0,
          },
        }
      : {}),
    ...(input.lastImportAt !== undefined ? { lastImportAt: input.lastImportAt } : {}),
    ...(lastPost !== undefined ? { lastPostAt: lastPost } : {}),
    jobs: {
      running: jobs.filter((j) => j.status === "running").length,
      queued: jobs.filter((j) => j.status === "queued").length,
      failed,
    },
    exceptions: { total: (input.exceptions ?? []).length, byKind, byAge },
    alerts: { total: alerts.length, bySeverity, list: alerts },
  };
}
