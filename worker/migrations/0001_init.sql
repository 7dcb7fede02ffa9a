-- VCX API Worker schema. Times are ISO-8601 UTC strings; ids are UUIDs unless stated.

-- People who signed in with Xero.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  xero_user_id TEXT NOT NULL UNIQUE,
  email TEXT,
  name TEXT,
  created_at TEXT NOT NULL
);

-- Short-lived, revocable sessions. Only the SHA-256 of the bearer token is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

-- API keys: named, scoped to one organisation, revocable; hashed at rest.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  key_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_keys_user ON api_keys(user_id);

-- OAuth `state` values (single use) and the one-time codes handed from the callback page to the task pane.
CREATE TABLE oauth_states (
  state_hash TEXT PRIMARY KEY,
  return_origin TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE auth_codes (
  code_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

-- Xero token sets. One consent (code flow) or one custom connection = one grant; a grant can cover several
-- organisations. Tokens are AES-GCM ciphertexts bound to the grant id. Only the grant's Durable Object
-- (XeroConnection named "grant:<id>") refreshes them.
CREATE TABLE xero_grants (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('oauth', 'custom')),
  user_id TEXT NOT NULL REFERENCES users(id),
  auth_event_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('ok', 'reconnect_needed')),
  access_token_enc TEXT NOT NULL,
  access_expires_at TEXT NOT NULL,
  refresh_token_enc TEXT,
  client_credentials_enc TEXT,
  token_version INTEGER NOT NULL DEFAULT 0,
  refresh_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Xero organisations (id = Xero tenant id) and the grant currently used to reach them.
CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  base_currency TEXT,
  grant_id TEXT NOT NULL REFERENCES xero_grants(id),
  xero_connection_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Which user may reach which organisation (granted by that user's own consent).
CREATE TABLE user_organisations (
  user_id TEXT NOT NULL REFERENCES users(id),
  org_id TEXT NOT NULL REFERENCES organisations(id),
  granted_at TEXT NOT NULL,
  PRIMARY KEY (user_id, org_id)
);

-- Reference data cache (accounts, tax rates, items, contacts) as JSON arrays.
CREATE TABLE reference_data (
  org_id TEXT NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL CHECK (kind IN ('accounts', 'taxRates', 'items', 'contacts')),
  json TEXT NOT NULL,
  refreshed_at TEXT NOT NULL,
  PRIMARY KEY (org_id, kind)
);

-- Mapping tables: every replacement is a new version (history kept); rows stored as JSON chunks.
CREATE TABLE mapping_versions (
  org_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  sheet TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (org_id, version)
);
CREATE TABLE mapping_sheets (
  org_id TEXT NOT NULL,
  sheet TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (org_id, sheet)
);
CREATE TABLE mapping_chunks (
  org_id TEXT NOT NULL,
  sheet TEXT NOT NULL,
  version INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  rows_json TEXT NOT NULL,
  PRIMARY KEY (org_id, sheet, version, idx)
);

-- Uploaded remittances: the source (for deterministic re-ingest), the parsed JSON and the last preview.
CREATE TABLE remittances (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  source_kind TEXT NOT NULL CHECK (source_kind IN ('bytes', 'grid')),
  locale TEXT,
  sheet_name TEXT,
  status TEXT NOT NULL,
  remittance_json TEXT NOT NULL,
  plan_json TEXT,
  previewed_at TEXT,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE INDEX remittances_org ON remittances(org_id, uploaded_at);
CREATE TABLE remittance_sources (
  remittance_id TEXT NOT NULL REFERENCES remittances(id),
  idx INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (remittance_id, idx)
);

CREATE TABLE exceptions (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  remittance_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('ingest', 'plan')),
  row INTEGER,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  fix TEXT,
  severity TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX exceptions_org ON exceptions(org_id, remittance_id, status);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  request_id TEXT NOT NULL,
  user_id TEXT,
  org_id TEXT,
  method TEXT NOT NULL,
  route TEXT NOT NULL,
  target TEXT,
  status INTEGER NOT NULL
);
CREATE INDEX audit_org ON audit_log(org_id, at);

-- Xero webhook events (at-least-once delivery: the natural key makes recording idempotent).
CREATE TABLE webhook_events (
  event_key TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  category TEXT NOT NULL,
  type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  event_date TEXT NOT NULL,
  received_at TEXT NOT NULL
);
