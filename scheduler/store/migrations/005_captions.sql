-- Caption tracks of packaged assets: WebVTT segments under media/<asset_id>/<name>/seg00000.vtt, one per
-- canonical segment of the asset (see playlists/model.ts CaptionTrack).
CREATE TABLE asset_captions (
  asset_id  TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  language  TEXT NOT NULL,             -- BCP 47, as the lesson's catalog `captions` lists it
  name      TEXT NOT NULL,             -- track directory: sub-<language>
  position  INTEGER NOT NULL,          -- catalog order
  PRIMARY KEY (asset_id, language)
);
