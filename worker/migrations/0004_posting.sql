-- Posting (issue 6). Jobs live in each organisation's OrgPoster Durable Object; D1 records which job belongs to
-- which organisation and remittance (authorisation for /v1/jobs/:jobId, the generation of a re-post), the last
-- progress seen, and the per-document results on the remittance (Xero IDs, links, errors by document key).
CREATE TABLE posting_jobs (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  -- 'post' | 'undo'
  kind TEXT NOT NULL,
  remittance_id TEXT,
  generation INTEGER NOT NULL DEFAULT 0,
  -- For undo jobs: the job being undone.
  undo_of TEXT,
  state TEXT NOT NULL,
  total INTEGER NOT NULL DEFAULT 0,
  posted INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  held INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX posting_jobs_org ON posting_jobs(org_id, created_at);
CREATE INDEX posting_jobs_remittance ON posting_jobs(remittance_id, kind, generation);

-- Per-document posting results of a remittance (the latest seen for each document key).
CREATE TABLE posting_results (
  remittance_id TEXT NOT NULL,
  doc_key TEXT NOT NULL,
  org_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  description TEXT,
  xero_id TEXT,
  xero_number TEXT,
  link TEXT,
  error_json TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (remittance_id, doc_key)
);
