-- Curriculum catalog and packaged media.
-- Hierarchy: stage (derived from grade) → grade → subject → edition → volume → unit → lesson.
CREATE TABLE lessons (
  id              TEXT PRIMARY KEY,
  grade           INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 12),
  subject         TEXT NOT NULL,
  edition         TEXT NOT NULL,
  volume          INTEGER NOT NULL CHECK (volume >= 1),
  unit            INTEGER NOT NULL CHECK (unit >= 1),
  unit_title_zh   TEXT NOT NULL,
  unit_title_en   TEXT,
  lesson          INTEGER NOT NULL CHECK (lesson >= 1),
  title_zh        TEXT NOT NULL,
  title_en        TEXT,
  teacher         TEXT,
  duration_s      REAL CHECK (duration_s IS NULL OR duration_s > 0),
  captions        TEXT NOT NULL DEFAULT '[]',  -- JSON array of BCP 47 language tags
  source          TEXT,                        -- path of the source video to package
  status          TEXT NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'packaged', 'failed')),
  failure_reason  TEXT,
  asset_id        TEXT,
  UNIQUE (grade, subject, edition, volume, unit, lesson)
);

-- A packaged asset: one verified HLS ladder under media/<id>/<rendition>/.
CREATE TABLE assets (
  id                   TEXT PRIMARY KEY,
  kind                 TEXT NOT NULL CHECK (kind IN ('lesson', 'filler', 'slate')),
  lesson_id            TEXT REFERENCES lessons(id) ON DELETE SET NULL,
  title_zh             TEXT NOT NULL,
  title_en             TEXT,
  ladder               TEXT NOT NULL,
  canonical_rendition  TEXT NOT NULL,
  segment_count        INTEGER NOT NULL CHECK (segment_count > 0),
  duration_ms          INTEGER NOT NULL CHECK (duration_ms > 0),
  segment_ms           TEXT NOT NULL,          -- JSON array: canonical per-segment durations, integer ms
  packaged_at          INTEGER NOT NULL        -- UTC epoch ms
);

CREATE TABLE asset_renditions (
  asset_id           TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  name               TEXT NOT NULL,
  position           INTEGER NOT NULL,         -- ladder order
  type               TEXT NOT NULL CHECK (type IN ('video', 'audio')),
  width              INTEGER,
  height             INTEGER,
  frame_rate         REAL,
  bandwidth          INTEGER NOT NULL,         -- peak bits/s measured over segments
  average_bandwidth  INTEGER NOT NULL,
  codecs             TEXT NOT NULL,            -- RFC 6381, e.g. avc1.4d401f,mp4a.40.2
  segment_durations  TEXT NOT NULL,            -- JSON array of seconds as this rendition's playlist states them
  PRIMARY KEY (asset_id, name)
);

CREATE INDEX lessons_course ON lessons (grade, subject, edition, volume, unit, lesson);
CREATE INDEX assets_lesson ON assets (lesson_id);
