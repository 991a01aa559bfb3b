-- Small service-wide facts (e.g. that the sample data set is complete), key → JSON value.
CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
