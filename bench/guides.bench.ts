/**
 * Guide benchmark (prints figures; not a test): XMLTV bytes and milliseconds, and the longest event-loop stall
 * (perf_hooks.monitorEventLoopDelay) while it is produced, for
 *   - a sample-like schedule: 12 grade channels of 20-minute lessons, eye exercises, calisthenics and reruns;
 *   - a dense schedule: the same channels with 12–13 s clips (rerun carousels: ~7,000 programmes a channel-day).
 * Each is measured cold (days not rendered yet) and warm (rendered pieces cached), through the real origin.
 *
 *   npm run bench:guides -- [--channels 12] [--days 14] [--only sample|dense]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fixedClock } from '../scheduler/clock.ts';
import { denseGuideDataDir, NOW_MS, sampleGuideDataDir } from '../tests/integration/guide-data-dir-fixtures.ts';
import { startOrigin } from '../tests/integration/origin-fixtures.ts';
import type { TempDataDir } from '../tests/integration/schedule-data-dir-fixtures.ts';

const { values } = parseArgs({
  options: {
    channels: { type: 'string', default: '12' },
    days: { type: 'string', default: '14' },
    only: { type: 'string' },
  },
});
const channels = Number(values.channels);
const days = Number(values.days);

async function measure(data: TempDataDir, label: string, paths: string[]): Promise<void> {
  const mediaDir = join(data.dir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  const origin = await startOrigin({ db: data.db, mediaDir }, fixedClock(NOW_MS));
  try {
    for (const round of ['cold', 'warm']) {
      for (const path of paths) {
        const lag = monitorEventLoopDelay({ resolution: 5 });
        lag.enable();
        const started = performance.now();
        const response = await fetch(`${origin.baseUrl}${path}`);
        let bytes = 0;
        for await (const chunk of response.body!) bytes += (chunk as Uint8Array).byteLength;
        const ms = performance.now() - started;
        lag.disable();
        console.log(
          `${label} ${round} ${path}: ${response.status}, ${(bytes / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms` +
            ` (${((bytes / 1e6 / ms) * 1000).toFixed(1)} MB/s); max event-loop lag ${(lag.max / 1e6).toFixed(1)} ms,` +
            ` p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms`,
        );
      }
    }
  } finally {
    await origin.close();
    data.close();
  }
}

if (values.only !== 'dense') {
  const started = performance.now();
  const data = sampleGuideDataDir(channels, 8);
  console.log(`sample-like: ${channels} channels × 8 days published in ${(performance.now() - started).toFixed(0)} ms`);
  await measure(data, 'sample-like', ['/epg.xml?days=7', '/api/guide']);
}
if (values.only !== 'sample') {
  const started = performance.now();
  const data = denseGuideDataDir(channels, days);
  console.log(`dense: ${channels} channels × ${days} days published in ${(performance.now() - started).toFixed(0)} ms`);
  await measure(data, 'dense', [`/epg.xml?days=${Math.min(14, days - 3)}`, '/api/guide']);
}
