-- The drift job hands its per-model checks to an executor (in-process or a Ray cluster):
-- each check records which ran it, and a current check found unchanged is confirmed, not redone.
ALTER TABLE drift_checks ADD COLUMN executor VARCHAR NOT NULL DEFAULT 'local';
ALTER TABLE drift_checks ADD COLUMN confirmed_at TIMESTAMP;
ALTER TABLE drift_jobs ADD COLUMN executor VARCHAR NOT NULL DEFAULT 'local';
ALTER TABLE drift_jobs ADD COLUMN models_unchanged INTEGER;
