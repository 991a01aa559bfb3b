-- A packaging job can package a filler or the slate (an upload with `assetId`) instead of a lesson:
-- `lesson_id` becomes optional and `filler` names the asset (exactly one of the two). SQLite cannot drop a
-- NOT NULL, so the table is rebuilt with the same rows and ids.
CREATE TABLE packaging_jobs_new (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  lesson_id     TEXT,             -- the lesson packaged …
  filler        TEXT,             -- … or JSON {"id": "<asset id>", "kind": "filler"|"slate", "title": {"zh": …}}
  source        TEXT,             -- absolute path; NULL = the lesson's registered source
  ladder        TEXT NOT NULL,    -- packaging ladder name (packaging/ladder.ts)
  status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress      REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  requested_by  TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  started_at    INTEGER,
  finished_at   INTEGER,
  asset_id      TEXT,
  error         TEXT,
  upload_id     TEXT,             -- the upload this job packages (NULL: a path on the server)
  renditions    TEXT,             -- JSON {"<rendition>": "<file>"}; NULL: transcode `source`
  CHECK ((lesson_id IS NULL) <> (filler IS NULL))
);
INSERT INTO packaging_jobs_new (id, lesson_id, source, ladder, status, progress, requested_by, created_at, started_at,
  finished_at, asset_id, error, upload_id, renditions)
  SELECT id, lesson_id, source, ladder, status, progress, requested_by, created_at, started_at, finished_at, asset_id,
    error, upload_id, renditions FROM packaging_jobs;
DROP TABLE packaging_jobs;
ALTER TABLE packaging_jobs_new RENAME TO packaging_jobs;
CREATE INDEX packaging_jobs_status ON packaging_jobs (status, id);
