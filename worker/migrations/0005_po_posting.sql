-- Posting purchase-order invoices (issue 7): a PO post job keeps the records of the invoices it posts
-- (InvoicedRecord JSON array, from the preview it was made from), so reading the job can report each posted
-- invoice through recordInvoicePosted even after a later preview replaced the stored one. NULL: not a PO job.
ALTER TABLE posting_jobs ADD COLUMN po_records_json TEXT;
