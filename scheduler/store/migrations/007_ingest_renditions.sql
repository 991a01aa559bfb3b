-- A packaging job can package pre-encoded renditions uploaded for its lesson instead of one source.
ALTER TABLE packaging_jobs ADD COLUMN renditions TEXT;   -- JSON {"<rendition>": "<file>"}; NULL: transcode `source`
