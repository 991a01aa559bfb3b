-- Poster frames of packaged assets (media/<assetId>/poster/<width>.jpg, see packaging/poster.ts).
-- JSON {"offsetMs": …, "sizes": [{"width": 480, "height": 270}, …]}; NULL for assets packaged before posters.
ALTER TABLE assets ADD COLUMN poster TEXT;
