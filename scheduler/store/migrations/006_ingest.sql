-- Ingest over the network: resumable uploads (tus) and the packaging jobs' event log.

-- One row per tus upload, from its creation. Unfinished uploads whose last byte is older than the expiry
-- are removed (file and row); a finished one records where its file was placed and the job it became.
CREATE TABLE uploads (
  id            TEXT PRIMARY KEY,   -- the tus upload id (the last path segment of its URL)
  lesson_id     TEXT,               -- for lessons …
  asset_id      TEXT,               -- … or for a filler / the slate (exactly one of the two)
  role          TEXT NOT NULL,      -- source | caption:<lang> | rendition:<name>
  filename      TEXT NOT NULL,      -- the client's file name (informational; never a path)
  size_bytes    INTEGER NOT NULL CHECK (size_bytes >= 0),
  created_by    TEXT NOT NULL,      -- token name
  created_at    INTEGER NOT NULL,   -- UTC epoch ms
  touched_at    INTEGER NOT NULL,   -- UTC epoch ms of the last request that wrote to it
  completed_at  INTEGER,            -- UTC epoch ms; NULL while bytes are missing
  path          TEXT,               -- where the finished file sits
  job_id        INTEGER,            -- the packaging job a finished source became
  CHECK ((lesson_id IS NULL) <> (asset_id IS NULL))
);
CREATE INDEX uploads_unfinished ON uploads (touched_at) WHERE completed_at IS NULL;
CREATE INDEX uploads_lesson ON uploads (lesson_id, role, completed_at);

-- What happened to packaging jobs, in order: the SSE stream replays from here after a reconnect
-- (the row id is the event id). Progress is kept at whole-percent steps.
CREATE TABLE packaging_job_events (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id  INTEGER NOT NULL,
  at_ms   INTEGER NOT NULL,
  type    TEXT NOT NULL CHECK (type IN ('queued', 'started', 'progress', 'succeeded', 'failed', 'cancelled')),
  data    TEXT NOT NULL DEFAULT '{}'    -- JSON: percent/speed/etaS, assetId/durationS, reason…
);
CREATE INDEX packaging_job_events_job ON packaging_job_events (job_id, id);

ALTER TABLE packaging_jobs ADD COLUMN upload_id TEXT;   -- the upload this job packages (NULL: a path on the server)
