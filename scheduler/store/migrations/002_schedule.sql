-- Channels, timetables, calendars, suspension orders, overrides (the validated channel document,
-- one row per top-level entry, upserted by id) and the published day snapshots.

-- `body` is the validated channel JSON (timetables included); `number` is repeated for uniqueness.
CREATE TABLE channels (
  id      TEXT PRIMARY KEY,
  number  INTEGER NOT NULL UNIQUE,
  body    TEXT NOT NULL
);

CREATE TABLE calendars (
  region  TEXT PRIMARY KEY,
  body    TEXT NOT NULL
);

CREATE TABLE suspensions (
  id         TEXT PRIMARY KEY,
  from_date  TEXT NOT NULL,   -- YYYY-MM-DD, inclusive
  to_date    TEXT NOT NULL,   -- YYYY-MM-DD, inclusive
  body       TEXT NOT NULL,
  CHECK (from_date <= to_date)
);

CREATE TABLE overrides (
  id       TEXT PRIMARY KEY,
  channel  TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  date     TEXT NOT NULL,     -- YYYY-MM-DD broadcast date
  body     TEXT NOT NULL
);
CREATE INDEX overrides_channel_date ON overrides (channel, date);

-- Published broadcast days. Rows are never updated: a republish that changes a day inserts the
-- next version. The latest version of (channel, date) is what airs.
-- An ordinary rowid table, not WITHOUT ROWID: a body is tens to hundreds of KB, far above the
-- ~1/20 of a page that SQLite advises for WITHOUT ROWID rows; here a row is appended at the end of
-- the rowid b-tree with its body in overflow pages, and the keys live in the small indexes below.
CREATE TABLE day_snapshots (
  channel_id    TEXT NOT NULL REFERENCES channels(id),
  date          TEXT NOT NULL,
  version       INTEGER NOT NULL CHECK (version >= 1),
  published_at  INTEGER NOT NULL,   -- UTC epoch ms
  start_ms      INTEGER NOT NULL,
  end_ms        INTEGER NOT NULL,
  body          TEXT NOT NULL,      -- DaySnapshot JSON (last column: the keys above stay in the row's first page)
  CHECK (end_ms > start_ms)
);

-- "Latest version of (channel, date)": walked backwards (ORDER BY version DESC LIMIT 1).
CREATE UNIQUE INDEX day_snapshots_key ON day_snapshots (channel_id, date, version);
-- "Days of channel X overlapping [t0, t1)": start_ms < t1 AND end_ms > t0, by channel. It carries
-- every key column (date, version, published_at too) so the origin's and the guide's per-request
-- day lookups are answered from the index alone, never touching a row.
CREATE INDEX day_snapshots_channel_time ON day_snapshots (channel_id, end_ms, start_ms, date, version, published_at);
