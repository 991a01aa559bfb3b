/**
 * Live playlist render benchmark (prints figures; not a test): 12 grade channels × 7 published days with
 * 20-minute lessons, fillers and 1 s slate. Measures the channel-timeline index build and
 * renderLiveMediaPlaylist per call (mean, p50, p99) at random instants of the week, for every rendition.
 *
 *   npm run bench:playlist-render
 */
import { performance } from 'node:perf_hooks';
import { buildChannelTimeline, type ChannelTimeline } from '../playlists/channel-timeline.ts';
import { renderLiveMediaPlaylist } from '../playlists/live.ts';
import { RENDITION_NAMES, shanghaiWeek, standardAssets } from '../tests/helpers/timeline-fixtures.ts';

const CHANNELS = 12;
const CALLS = 200_000;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const assets = standardAssets();
const weeks = Array.from({ length: CHANNELS }, (_, i) => shanghaiWeek(i, assets));
const itemCount = weeks.reduce((sum, days) => sum + days.reduce((s, d) => s + d.items.length, 0), 0);

const buildTimes: number[] = [];
let timelines: ChannelTimeline[] = [];
for (let round = 0; round < 5; round++) {
  timelines = weeks.map((days) => {
    const t0 = performance.now();
    const timeline = buildChannelTimeline(days, assets);
    buildTimes.push(performance.now() - t0);
    return timeline;
  });
}
const steadyBuilds = buildTimes.slice(CHANNELS).sort((a, b) => a - b);

let seed = 12345;
const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const samples = new Float64Array(CALLS);
let bytes = 0;
// Warm-up, then measured calls.
for (let phase = 0; phase < 2; phase++) {
  for (let i = 0; i < CALLS; i++) {
    const timeline = timelines[Math.floor(random() * CHANNELS)]!;
    const rendition = RENDITION_NAMES[Math.floor(random() * RENDITION_NAMES.length)]!;
    const nowMs = timeline.startMs + 60_000 + Math.floor(random() * (timeline.endMs - timeline.startMs - 120_000));
    const t0 = performance.now();
    const text = renderLiveMediaPlaylist({ timeline, rendition, nowMs });
    const elapsed = performance.now() - t0;
    if (typeof text !== 'string') throw new Error(`no playlist: ${text.reason}`);
    if (phase === 1) {
      samples[i] = elapsed * 1000;
      bytes += text.length;
    }
  }
}
const sorted = samples.slice().sort();
const mean = samples.reduce((a, b) => a + b, 0) / CALLS;

console.log(
  `timeline: ${CHANNELS} channels × 7 days, ${itemCount} items, ${timelines[0]!.lastSegment().mediaSequence + 1} segments per channel`,
);
console.log(
  `index build per channel-week: median ${percentile(Float64Array.from(steadyBuilds), 0.5).toFixed(3)} ms, ` +
    `max ${steadyBuilds.at(-1)!.toFixed(3)} ms (first, cold: ${buildTimes[0]!.toFixed(3)} ms)`,
);
console.log(
  `renderLiveMediaPlaylist: ${CALLS} calls, mean ${mean.toFixed(1)} µs, p50 ${percentile(sorted, 0.5).toFixed(1)} µs, ` +
    `p99 ${percentile(sorted, 0.99).toFixed(1)} µs, mean size ${(bytes / CALLS).toFixed(0)} bytes`,
);
