-- Change counters of the contents the guides show without a version of their own (the lesson catalog as the guide
-- shows it, and the channel documents): triggers bump a counter whenever such a row changes, whoever writes it
-- (any connection, any process sharing the file). The guide's ETags and rendered pieces use the counter instead of
-- a digest of the whole table, so knowing the catalog's state costs one row read whatever the catalog's size.
-- Counters start at a random value: two databases (a data dir made anew) do not reuse each other's states.
CREATE TABLE guide_change_counters (
  name     TEXT PRIMARY KEY CHECK (name IN ('catalog', 'channels')),
  counter  INTEGER NOT NULL
);
INSERT INTO guide_change_counters (name, counter) VALUES
  ('catalog', abs(random() % 1000000000000)),
  ('channels', abs(random() % 1000000000000));

-- One trigger per table and event, alike in shape (here and for the channels below): SQLite's CREATE TRIGGER takes a
-- single event, and a trigger body cannot be shared. They fire on catalog, packaging and channel writes only; the
-- origin's live playlists read the published days and write none of these tables.
CREATE TRIGGER guide_catalog_lesson_added AFTER INSERT ON lessons BEGIN
  UPDATE guide_change_counters SET counter = counter + 1 WHERE name = 'catalog';
END;
CREATE TRIGGER guide_catalog_lesson_removed AFTER DELETE ON lessons BEGIN
  UPDATE guide_change_counters SET counter = counter + 1 WHERE name = 'catalog';
END;
-- Only what the guides show of a lesson (guide-records.ts toGuideLesson) and its packaging status: a write that
-- changes none of these (a catalog import of the same rows, a packaging error text) leaves the counter.
CREATE TRIGGER guide_catalog_lesson_changed AFTER UPDATE ON lessons
  WHEN (old.id, old.grade, old.subject, old.edition, old.volume, old.unit, old.unit_title_zh, old.unit_title_en,
        old.lesson, old.title_zh, old.title_en, old.teacher, old.duration_s, old.captions, old.status, old.asset_id)
    IS NOT (new.id, new.grade, new.subject, new.edition, new.volume, new.unit, new.unit_title_zh, new.unit_title_en,
        new.lesson, new.title_zh, new.title_en, new.teacher, new.duration_s, new.captions, new.status, new.asset_id)
BEGIN
  UPDATE guide_change_counters SET counter = counter + 1 WHERE name = 'catalog';
END;
-- A lesson's poster is its asset's.
CREATE TRIGGER guide_catalog_poster_changed AFTER UPDATE OF poster ON assets WHEN old.poster IS NOT new.poster BEGIN
  UPDATE guide_change_counters SET counter = counter + 1 WHERE name = 'catalog';
END;
CREATE TRIGGER guide_catalog_asset_added AFTER INSERT ON assets WHEN new.poster IS NOT NULL BEGIN
  UPDATE guide_change_counters SET counter = counter + 1 WHERE name = 'catalog';
END;
CREATE TRIGGER guide_catalog_asset_removed AFTER DELETE ON assets WHEN old.poster IS NOT NULL BEGIN
  UPDATE guide_change_counters SET counter = counter + 1 WHERE name = 'catalog';
END;

CREATE TRIGGER guide_channel_added AFTER INSERT ON channels BEGIN
  UPDATE guide_change_counters SET counter = counter + 1 WHERE name = 'channels';
END;
CREATE TRIGGER guide_channel_removed AFTER DELETE ON channels BEGIN
  UPDATE guide_change_counters SET counter = counter + 1 WHERE name = 'channels';
END;
CREATE TRIGGER guide_channel_changed AFTER UPDATE ON channels
  WHEN (old.id, old.number, old.body) IS NOT (new.id, new.number, new.body)
BEGIN
  UPDATE guide_change_counters SET counter = counter + 1 WHERE name = 'channels';
END;
