-- Broadcaster operations: API tokens, the append-only audit log, packaging jobs, build previews.

-- Only the SHA-256 of a token is stored; the token itself is shown once, when created.
CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
  hash        BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
  created_at  INTEGER NOT NULL,   -- UTC epoch ms
  revoked_at  INTEGER             -- UTC epoch ms; a revoked token never authenticates again
);
-- One live token per name, so "revoke NAME" is unambiguous.
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

-- Every mutation through the admin API (and the token CLI). Rows are only ever inserted.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms       INTEGER NOT NULL,
  actor       TEXT NOT NULL,      -- token name (or `cli:<user>`)
  role        TEXT NOT NULL,
  method      TEXT NOT NULL,
  route       TEXT NOT NULL,      -- matched route pattern, e.g. /api/admin/channels/:id
  summary     TEXT NOT NULL,
  before_ids  TEXT NOT NULL DEFAULT '[]',   -- JSON array: what the mutation replaced (ids, snapshot versions)
  after_ids   TEXT NOT NULL DEFAULT '[]'    -- JSON array: what it wrote
);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Packaging jobs survive restarts: a queued job stays queued; one running when the process died is
-- marked failed with that reason at the next start.
CREATE TABLE packaging_jobs (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  lesson_id     TEXT NOT NULL,
  source        TEXT,             -- absolute path; NULL = the lesson's registered source
  ladder        TEXT NOT NULL,    -- packaging ladder name (packaging/ladder.ts)
  status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress      REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  requested_by  TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  started_at    INTEGER,
  finished_at   INTEGER,
  asset_id      TEXT,
  error         TEXT
);
CREATE INDEX packaging_jobs_status ON packaging_jobs (status, id);

-- A build preview: what it would publish (per channel-day digest) and a fingerprint of its inputs.
CREATE TABLE build_previews (
  id            TEXT PRIMARY KEY,
  created_at    INTEGER NOT NULL,
  created_by    TEXT NOT NULL,
  request       TEXT NOT NULL,    -- JSON: channels, from, days
  fingerprint   TEXT NOT NULL,    -- SHA-256 of channel rules, catalog state and published versions
  content       TEXT NOT NULL,    -- SHA-256 of the days the preview would write
  result        TEXT NOT NULL,    -- JSON: the diff shown to the caller
  published_at  INTEGER
);
