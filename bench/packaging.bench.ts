/**
 * Packaging benchmark (prints figures; not a timed test): a 60 s 720p synthetic source packaged
 * with the default ladder, one decode for the whole ladder vs one ffmpeg run per rendition.
 * Wall time is what the target is about; the CPU time of the ffmpeg processes (Linux: the
 * reaped children's user+system time from /proc/self/stat) is printed too, since on a shared machine
 * wall time mostly measures the other load.
 * Run: npm run bench:packaging [-- --seconds 60 --ladder default]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mediaBinaries } from '../packaging/binaries.ts';
import { getLadder, LESSON_SEGMENTING } from '../packaging/ladder.ts';
import { probeSource } from '../packaging/probe.ts';
import { runTool, stderrTail } from '../packaging/run.ts';
import { makeSyntheticClip } from '../packaging/synthetic.ts';
import { keptDuration, singleRenditionArgs, transcodeLadder } from '../packaging/transcode.ts';
import { verifyLadder } from '../packaging/verify.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, ladder: { type: 'string', default: 'default' } },
});
const seconds = Number(values.seconds);
const ladder = getLadder(values.ladder!);
/** CPU seconds used by this process's finished children (ffmpeg runs), or NaN off Linux. */
function childrenCpuS(): number {
  try {
    // Fields after the ')' of the command name: state is field 3, cutime and cstime are fields 16 and 17.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}
const loadAtStart = loadavg()[0]!;
const work = mkdtempSync(join(tmpdir(), 'aerial-bench-'));

try {
  const source = await makeSyntheticClip({
    path: join(work, 'source.mp4'),
    durationS: seconds,
    width: 1280,
    height: 720,
  });
  const info = await probeSource(source);
  const durationS = keptDuration(info.mediaDurationS, ladder.frameRate, LESSON_SEGMENTING.segmentSeconds);
  const request = { source, durationS, ladder, segmenting: LESSON_SEGMENTING };

  let t = performance.now();
  let cpu = childrenCpuS();
  await transcodeLadder({ ...request, outDir: join(work, 'single-decode') });
  const singleDecodeS = (performance.now() - t) / 1000;
  const singleDecodeCpuS = childrenCpuS() - cpu;

  t = performance.now();
  const verified = await verifyLadder(join(work, 'single-decode'), ladder);
  const verifyS = (performance.now() - t) / 1000;

  t = performance.now();
  cpu = childrenCpuS();
  const { ffmpeg } = mediaBinaries();
  for (const rendition of ladder.renditions) {
    const run = await runTool(
      ffmpeg,
      singleRenditionArgs({ ...request, outDir: join(work, 'per-rendition') }, rendition),
    );
    if (run.code !== 0) throw new Error(`per-rendition run for ${rendition.name} failed: ${stderrTail(run.stderr)}`);
  }
  const perRenditionS = (performance.now() - t) / 1000;
  const perRenditionCpuS = childrenCpuS() - cpu;

  const lines = [
    `packaging benchmark: ${seconds} s 1280x720 synthetic source, ladder '${ladder.name}' (${ladder.renditions.map((r) => r.name).join(', ')}), ${LESSON_SEGMENTING.segmentSeconds} s segments`,
    `  load average (1 min) at start ${loadAtStart.toFixed(2)}, at end ${loadavg()[0]!.toFixed(2)}, ${availableParallelism()} cores`,
    `  single decode, whole ladder : ${singleDecodeS.toFixed(2)} s wall (${(durationS / singleDecodeS).toFixed(2)}× real time), ${singleDecodeCpuS.toFixed(2)} s CPU`,
    `  one ffmpeg run per rendition: ${perRenditionS.toFixed(2)} s wall (${(durationS / perRenditionS).toFixed(2)}× real time), ${perRenditionCpuS.toFixed(2)} s CPU`,
    `  ratio single/per-rendition  : ${(singleDecodeS / perRenditionS).toFixed(3)} wall (target ≤ 0.6), ${(singleDecodeCpuS / perRenditionCpuS).toFixed(3)} CPU`,
    `  verification of the ladder  : ${verifyS.toFixed(2)} s (${verified.segmentMs.length} segments × ${verified.renditions.length} renditions)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
