-- Drift report files are kept by name in the store's own folder (beside the store file, named
-- after it), with the SHA-256 of what was written: the portal serves or deletes a report
-- only when the file in THIS store's folder has that hash (portal/store/drift_reports.py).
ALTER TABLE drift_checks ADD COLUMN report_sha256 VARCHAR;

-- Earlier versions stored the report's path: keep its file name. Without a recorded hash these
-- reports are neither served nor deleted; each model's next check writes a new one.
UPDATE drift_checks SET report_file = nullif(regexp_extract(report_file, '[^/\\]*$'), '')
WHERE regexp_matches(report_file, '[/\\]');
