/**
 * Packaging benchmark (prints figures; not a timed test): a 60 s 720p synthetic source packaged
 * with the default ladder, one decode for the whole ladder vs one ffmpeg run per rendition.
 * Run: npm run bench:packaging [-- --seconds 60 --ladder default]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mediaBinaries } from '../packaging/binaries.ts';
import { getLadder, LESSON_SEGMENTING } from '../packaging/ladder.ts';
import { probeSource } from '../packaging/probe.ts';
import { runTool, stderrTail } from '../packaging/run.ts';
import { makeSyntheticClip } from '../packaging/synthetic.ts';
import { keptDuration, singleRenditionArgs, transcodeLadder } from '../packaging/transcode.ts';
import { verifyLadder } from '../packaging/verify.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, ladder: { type: 'string', default: 'default' } } });
const seconds = Number(values.seconds);
const ladder = getLadder(values.ladder!);
const work = mkdtempSync(join(tmpdir(), 'aerial-bench-'));

try {
  const source = await makeSyntheticClip({ path: join(work, 'source.mp4'), durationS: seconds, width: 1280, height: 720 });
  const info = await probeSource(source);
  const durationS = keptDuration(info.mediaDurationS, ladder.frameRate, LESSON_SEGMENTING.segmentSeconds);
  const request = { source, durationS, ladder, segmenting: LESSON_SEGMENTING };

  let t = performance.now();
  await transcodeLadder({ ...request, outDir: join(work, 'single-decode') });
  const singleDecodeS = (performance.now() - t) / 1000;

  t = performance.now();
  const verified = await verifyLadder(join(work, 'single-decode'), ladder);
  const verifyS = (performance.now() - t) / 1000;

  t = performance.now();
  const { ffmpeg } = mediaBinaries();
  for (const rendition of ladder.renditions) {
    const run = await runTool(ffmpeg, singleRenditionArgs({ ...request, outDir: join(work, 'per-rendition') }, rendition));
    if (run.code !== 0) throw new Error(`per-rendition run for ${rendition.name} failed: ${stderrTail(run.stderr)}`);
  }
  const perRenditionS = (performance.now() - t) / 1000;

  const lines = [
    `packaging benchmark: ${seconds} s 1280x720 synthetic source, ladder '${ladder.name}' (${ladder.renditions.map((r) => r.name).join(', ')}), ${LESSON_SEGMENTING.segmentSeconds} s segments`,
    `  single decode, whole ladder : ${singleDecodeS.toFixed(2)} s wall (${(durationS / singleDecodeS).toFixed(2)}× real time)`,
    `  one ffmpeg run per rendition: ${perRenditionS.toFixed(2)} s wall (${(durationS / perRenditionS).toFixed(2)}× real time)`,
    `  ratio single/per-rendition  : ${(singleDecodeS / perRenditionS).toFixed(3)} (target ≤ 0.6)`,
    `  verification of the ladder  : ${verifyS.toFixed(2)} s (${verified.segmentMs.length} segments × ${verified.renditions.length} renditions)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
