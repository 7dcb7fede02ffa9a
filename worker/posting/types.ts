/**
 * The posting engine's records. Every planned document is a DocRecord whose `state` is written to storage
 * *before* each step: planned → sending (the request is about to leave) → posted (Xero's id stored) |
 * failed (Xero's message, mapped to a plain reason) | held (the world changed, or a parent failed).
 * `reversed` marks a posted document that an undo job has reversed in Xero.
 */
import type { ExceptionCode, PlannedDocument } from "../domain/plan/model";
import type { PlannedInvoice } from "../domain/po/plan";

/** What the engine posts: settlement plan documents and purchase-order invoices (PUT /Invoices). */
export type PostableDocument = PlannedDocument | PlannedInvoice;
/** Every document type the engine knows how to send, look up and reverse. */
export type DocumentType = PostableDocument["type"];

export type DocState = "planned" | "sending" | "posted" | "failed" | "held" | "reversed";
export type JobState = "queued" | "running" | "paused" | "waiting" | "done" | "failed" | "cancelled";
export type JobKind = "post" | "undo";

/** What an undo step does to one posted document. */
export interface UndoAction {
  /** Key of the posted document being reversed. */
  targetKey: string;
  targetType: DocumentType;
  xeroId: string;
  /** Allocations: the credit note they belong to. */
  creditNoteId?: string;
  /** Manual journals: the reversing journal's wire body. */
  reversal?: Record<string, unknown>;
}

export interface DocError {
  /** One plain sentence for people. */
  reason: string;
  /** Xero's own messages, verbatim. */
  messages: string[];
  /** Set when the document is held because the world changed since the preview. */
  code?: ExceptionCode | "parent_not_posted" | "cancelled" | "replanned_away";
}

export interface DocRecord {
  jobId: string;
  /** Position in send order within the job. */
  seq: number;
  key: string;
  type: DocumentType | "Undo";
  dependsOn: string[];
  creditNoteKey?: string;
  description: string;
  /** The Xero wire body as planned (ids of parents are filled in when sent). */
  body: Record<string, unknown>;
  /** YYYY-MM-DD the document carries (lock-date checks). */
  date?: string;
  state: DocState;
  xeroId?: string;
  xeroNumber?: string;
  link?: string;
  error?: DocError;
  /** Idempotency generation: bumped only after Xero was shown not to have the document. */
  keyGen: number;
  /** Re-post generation after an undo: changes the key text written into Reference/Narration. */
  postGen: number;
  /** Its last outcome is unknown: look it up in Xero before sending it again. */
  verify?: boolean;
  /** The batch this document is in flight with (state `sending`). */
  batchKey?: string;
  undo?: UndoAction;
}

/** One request in flight, stored before it leaves so a restart can replay it byte for byte. */
export interface BatchRecord {
  key: string;
  jobId: string;
  docKeys: string[];
  method: "PUT" | "POST" | "DELETE";
  path: string;
  bodyText: string;
  /** Engine-clock ms of the first send with this Idempotency-Key (Xero keeps keys 6 minutes). */
  firstSentAt: number;
  sends: number;
}

export interface JobRecord {
  id: string;
  kind: JobKind;
  state: JobState;
  createdAt: number;
  updatedAt: number;
  /** For undo jobs: the job being undone. */
  undoOf?: string;
  /** When waiting on a rate limit: engine-clock ms to resume. */
  waitUntil?: number;
  replans: number;
  note?: string;
}

/** Org-wide memory of what is in Xero, across jobs: re-posting skips what is posted. */
export interface LedgerEntry {
  key: string;
  type: DocumentType;
  state: "posted" | "reversed";
  xeroId: string;
  xeroNumber?: string;
  jobId: string;
  postGen: number;
}

/** Job progress, as docs/api-contract.md "Posting" describes it. */
export interface JobView {
  id: string;
  kind: JobKind;
  state: JobState;
  total: number;
  posted: number;
  failed: number;
  held: number;
  reversed: number;
  sending: number;
  planned: number;
  waitUntil?: string;
  documents: {
    key: string;
    type: DocRecord["type"];
    state: DocState;
    description: string;
    xeroId?: string;
    xeroNumber?: string;
    link?: string;
    error?: DocError;
  }[];
}

export type { PlannedDocument };
