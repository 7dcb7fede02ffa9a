-- Monitoring (issue 9): drift alerts, known deduction codes, dispute states, the outgoing alert webhook and
-- the documents VCX posted (what the scheduled comparison checks against Xero).

-- Deduction code shapes and descriptions VCX has seen per organisation (domain/monitoring deductionCode).
CREATE TABLE known_deductions (
  org_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('code', 'description')),
  value TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, value)
);

-- Every alert ever raised. The id is the condition's stable id (domain/monitoring alertId), so the same
-- condition found again is not raised again. Status: open → acknowledged (someone saw it) → resolved
-- (the condition cleared); a resolved id stays, so a condition is raised once.
CREATE TABLE alerts (
  org_id TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
  subject TEXT NOT NULL,
  message TEXT NOT NULL,
  action TEXT NOT NULL,
  details_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  raised_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  acknowledged_by TEXT,
  acknowledged_at TEXT,
  note TEXT,
  -- NULL until the outgoing webhook accepted it (or when no webhook is configured: 'none').
  delivered_at TEXT,
  PRIMARY KEY (org_id, id)
);
CREATE INDEX alerts_status ON alerts(org_id, status, raised_at);
CREATE INDEX alerts_undelivered ON alerts(delivered_at);

-- Outgoing alert webhook per organisation (overrides the ALERT_WEBHOOK_URL/SECRET defaults of the env).
CREATE TABLE alert_webhooks (
  org_id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Delivery attempts (one row per POST), for the health view and support.
CREATE TABLE alert_deliveries (
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  org_id TEXT NOT NULL,
  url TEXT NOT NULL,
  alert_count INTEGER NOT NULL,
  status INTEGER,
  error TEXT,
  at TEXT NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
CREATE INDEX alert_deliveries_org ON alert_deliveries(org_id, at);

-- Dispute status per deduction line (domain/monitoring DisputeState), keyed by the history line id.
CREATE TABLE dispute_states (
  org_id TEXT NOT NULL,
  dispute_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'disputed', 'won', 'lost', 'expired')),
  disputes INTEGER NOT NULL DEFAULT 0,
  case_id TEXT,
  note TEXT,
  updated_on TEXT,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (org_id, dispute_id)
);

-- Documents VCX posted to Xero (recorded by the posting engine through recordPostedDocuments), with what
-- Xero said last: the scheduled comparison and webhook events check them for voids, deletes and edits.
CREATE TABLE posted_documents (
  org_id TEXT NOT NULL,
  doc_key TEXT NOT NULL,
  type TEXT NOT NULL,
  xero_id TEXT NOT NULL,
  number TEXT,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  date TEXT,
  remittance_id TEXT,
  posted_at TEXT NOT NULL,
  last_status TEXT,
  checked_at TEXT,
  PRIMARY KEY (org_id, doc_key)
);
CREATE INDEX posted_documents_xero ON posted_documents(org_id, xero_id);

-- Webhook events already turned into alerts (or found irrelevant).
ALTER TABLE webhook_events ADD COLUMN processed_at TEXT;
