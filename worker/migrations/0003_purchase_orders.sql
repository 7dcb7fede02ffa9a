-- Purchase orders (issue 7): imported/pulled Amazon POs per organisation, the invoices VCX posted for them,
-- the latest preview, and each organisation's Amazon SP-API connection.

-- One row per uploaded file (idempotent by content: the same bytes again create nothing new).
CREATE TABLE po_imports (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  vendor_code TEXT,
  order_count INTEGER NOT NULL,
  problems_json TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  UNIQUE (org_id, content_hash)
);

-- What one source (a file or a pulled page) said about one PO, normalised (domain/po PurchaseOrder).
-- piece_hash is the SHA-256 of the normalised order without its source labels: the same facts pulled or
-- uploaded again are ignored. The PO is re-assembled from its pieces in arrival order (seq).
CREATE TABLE po_pieces (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id TEXT NOT NULL,
  po_number TEXT NOT NULL,
  piece_hash TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('upload', 'pull')),
  import_id TEXT,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  order_json TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (org_id, po_number, piece_hash)
);

-- The merged, normalised PO and its status from the latest preview (new → planned | held |
-- nothing_to_invoice; invoiced once an invoice for it is recorded as posted).
CREATE TABLE purchase_orders (
  org_id TEXT NOT NULL,
  po_number TEXT NOT NULL,
  vendor_code TEXT,
  source TEXT NOT NULL CHECK (source IN ('upload', 'pull', 'both')),
  order_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('new', 'planned', 'held', 'nothing_to_invoice', 'invoiced')),
  exceptions_json TEXT NOT NULL DEFAULT '[]',
  planned_keys_json TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  previewed_at TEXT,
  PRIMARY KEY (org_id, po_number)
);
CREATE INDEX purchase_orders_status ON purchase_orders(org_id, status);

-- Invoices posted for POs: PlannedInvoice.record (domain/po invoicedRecordSchema), fed back to the planner
-- as `invoiced` so the same eaches are never invoiced twice. Written by recordInvoicePosted.
CREATE TABLE po_invoiced (
  org_id TEXT NOT NULL,
  invoice_key TEXT NOT NULL,
  po_number TEXT NOT NULL,
  shipment_id TEXT NOT NULL,
  invoice_number TEXT NOT NULL,
  record_json TEXT NOT NULL,
  xero_invoice_id TEXT,
  posted_at TEXT NOT NULL,
  PRIMARY KEY (org_id, invoice_key)
);
CREATE INDEX po_invoiced_po ON po_invoiced(org_id, po_number);

-- The latest preview per organisation: the documents the posting engine takes.
CREATE TABLE po_previews (
  org_id TEXT PRIMARY KEY,
  plan_json TEXT NOT NULL,
  previewed_by TEXT,
  previewed_at TEXT NOT NULL
);

-- Amazon SP-API connection per organisation. LWA client id/secret and refresh token are AES-GCM
-- ciphertexts (TokenCipher, context "amazon:<org>:<what>"). Base URLs are not stored: they follow from
-- region/sandbox (worker/amazon AMAZON_ENDPOINTS) unless the deployment overrides them (AMAZON_* vars).
CREATE TABLE amazon_connections (
  org_id TEXT PRIMARY KEY,
  region TEXT NOT NULL CHECK (region IN ('na', 'eu', 'fe')),
  sandbox INTEGER NOT NULL DEFAULT 0,
  vendor_code TEXT,
  client_id_enc TEXT NOT NULL,
  client_secret_enc TEXT NOT NULL,
  refresh_token_enc TEXT NOT NULL,
  pull_enabled INTEGER NOT NULL DEFAULT 1,
  pull_interval_minutes INTEGER NOT NULL DEFAULT 60,
  last_pull_at TEXT,
  last_pull_until TEXT,
  last_pull_status TEXT,
  last_pull_json TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
