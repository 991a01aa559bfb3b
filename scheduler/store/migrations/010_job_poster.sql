-- Where a packaging job takes its poster frame (`aerial package --poster-at`), kept with the job so that whichever
-- process runs or dispatches it (this one, a restarted control plane, a worker's order) uses the same offset.
ALTER TABLE packaging_jobs ADD COLUMN poster TEXT;   -- JSON {"offsetS": …} or {"offsetFraction": …}; NULL: 10 % in
