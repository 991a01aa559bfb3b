-- The suspension notice of each published day version that carries one (a copy of its body's `notice`), so that
-- /api/notices finds the notices of every day not yet ended by key, without parsing the days' programmes (a dense
-- demo day is ~2 MB of JSON; parsing a fortnight of 12 channels made the first call after a start take seconds).
-- Written with the day (snapshots-repository insertSnapshot); a day version without a row has no notice.
CREATE TABLE day_notices (
  channel_id  TEXT NOT NULL,
  date        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  notice      TEXT NOT NULL,   -- Notice JSON: {"orderId": …, "text": {"zh": …, "en": …}}
  PRIMARY KEY (channel_id, date, version)
) WITHOUT ROWID;

INSERT INTO day_notices (channel_id, date, version, notice)
  SELECT channel_id, date, version, json_extract(body, '$.notice') FROM day_snapshots
   WHERE json_extract(body, '$.notice') IS NOT NULL;
