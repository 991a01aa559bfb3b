import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaBinaries } from '../../packaging/binaries.ts';
import { LADDERS } from '../../packaging/ladder.ts';
import { runTool } from '../../packaging/run.ts';
import { makeSyntheticClip, truncateFile } from '../../packaging/synthetic.ts';
import { segmentFileName, VOD_PLAYLIST_NAME } from '../../playlists/media-layout.ts';
import { InputError } from '../../scheduler/errors.ts';
import { packageFiller, packageLesson } from '../../scheduler/packaging/package-lesson.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';

const ladder = LADDERS.sample!;
let work: string;
let clip14: string;
let clip20: string;
let slateClip: string;
let otherSlateClip: string;
let videoOnly: string;
let truncated: string;

interface AssetRow {
  id: string;
  kind: string;
  lesson_id: string | null;
  segment_count: number;
  duration_ms: number;
  segment_ms: string;
  canonical_rendition: string;
}
interface RenditionRow {
  name: string;
  type: string;
  width: number | null;
  height: number | null;
  bandwidth: number;
  average_bandwidth: number;
  codecs: string;
  segment_durations: string;
}
interface LessonRow {
  status: string;
  failure_reason: string | null;
  asset_id: string | null;
}

function freshDataDir(name: string): { dataDir: string; db: Db } {
  const dataDir = join(work, name);
  const db = openDb(dataDir);
  const insert = db.prepare(
    `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, title_en, source)
     VALUES (?, 3, 'math', 'pep', 1, 1, '第一单元', ?, ?, ?, ?)`,
  );
  insert.run('g3-math-1', 1, '时、分、秒', 'Hours, minutes, seconds', null);
  insert.run('g3-math-2', 2, '秒的认识', 'Seconds', null);
  insert.run('g3-math-3', 3, '时间的计算', 'Time arithmetic', null);
  return { dataDir, db };
}

function lessonRow(db: Db, id: string): LessonRow {
  return db.prepare('SELECT status, failure_reason, asset_id FROM lessons WHERE id = ?').get(id) as LessonRow;
}

function playlistSegments(dir: string): string[] {
  return readFileSync(join(dir, VOD_PLAYLIST_NAME), 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('.ts'));
}

/** Independent of the pipeline's own check: decode the first frame and ask showinfo whether it is a keyframe. */
async function firstFrameIsKey(segment: string): Promise<boolean> {
  const run = await runTool(mediaBinaries().ffmpeg, ['-hide_banner', '-nostdin', '-i', segment, '-vf', 'showinfo', '-frames:v', '1', '-f', 'null', '-']);
  return /iskey:1/.test(run.stderr) && /type:I/.test(run.stderr);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aerial-packaging-'));
  [clip14, clip20, slateClip, otherSlateClip, videoOnly] = await Promise.all([
    makeSyntheticClip({ path: join(work, 'src', 'clip14.mp4'), durationS: 14 }),
    makeSyntheticClip({ path: join(work, 'src', 'clip20.mp4'), durationS: 20, width: 1280, height: 720 }),
    makeSyntheticClip({ path: join(work, 'src', 'slate.mp4'), durationS: 5, width: 320, height: 180, toneHz: 220 }),
    makeSyntheticClip({ path: join(work, 'src', 'slate2.mp4'), durationS: 4, width: 320, height: 180, toneHz: 330 }),
    makeSyntheticClip({ path: join(work, 'src', 'video-only.mp4'), durationS: 6, width: 320, height: 180, withoutAudio: true }),
  ]);
  truncated = await makeSyntheticClip({ path: join(work, 'src', 'truncated.mp4'), durationS: 10, width: 320, height: 180 });
  truncateFile(truncated, 0.4);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('packaging a lesson', () => {
  let dataDir: string;
  let db: Db;
  let assetId: string;

  beforeAll(async () => {
    ({ dataDir, db } = freshDataDir('lesson'));
    const progress: number[] = [];
    const outcome = await packageLesson({ db, dataDir, ladder, onProgress: (_, p) => progress.push(p.fraction) }, 'g3-math-1', clip14);
    assetId = outcome.assetId;
    expect(outcome.reused).toBe(false);
    expect(progress.at(-1)).toBe(1);
  });
  afterAll(() => db.close());

  it('records the asset with the ladder, its renditions and the lesson as packaged', () => {
    const asset = db.prepare('SELECT * FROM assets WHERE id = ?').get(assetId) as AssetRow;
    expect(asset).toMatchObject({ kind: 'lesson', lesson_id: 'g3-math-1', canonical_rendition: '360p' });
    const renditions = db.prepare('SELECT * FROM asset_renditions WHERE asset_id = ? ORDER BY position').all(assetId) as RenditionRow[];
    expect(renditions.map((r) => [r.name, r.type, r.width, r.height])).toEqual([
      ['360p', 'video', 640, 360],
      ['240p', 'video', 426, 240],
      ['audio', 'audio', null, null],
    ]);
    for (const r of renditions.filter((x) => x.type === 'video')) expect(r.codecs).toMatch(/^avc1\.4d[0-9a-f]{4},mp4a\.40\.2$/);
    expect(renditions[2]!.codecs).toBe('mp4a.40.2');
    // Measured, not configured: the 360p rendition carries more bits than 240p, audio-only the least.
    expect(renditions[0]!.average_bandwidth).toBeGreaterThan(renditions[1]!.average_bandwidth);
    expect(renditions[1]!.average_bandwidth).toBeGreaterThan(renditions[2]!.average_bandwidth);
    for (const r of renditions) expect(r.bandwidth).toBeGreaterThanOrEqual(r.average_bandwidth);
    expect(lessonRow(db, 'g3-math-1')).toEqual({ status: 'packaged', failure_reason: null, asset_id: assetId });
  });

  it('gives every rendition the same number of segments, named as the media layout says', () => {
    const counts = ladder.renditions.map((r) => {
      const segments = playlistSegments(join(dataDir, 'media', assetId, r.name));
      expect(segments).toEqual(segments.map((_, i) => segmentFileName(i)));
      return segments.length;
    });
    expect(counts).toEqual([3, 3, 3]);
  });

  it('starts every video segment with a keyframe', async () => {
    for (const r of ladder.renditions.filter((x) => x.type === 'video')) {
      for (let i = 0; i < 3; i++) {
        expect(await firstFrameIsKey(join(dataDir, 'media', assetId, r.name, segmentFileName(i))), `${r.name} segment ${i}`).toBe(true);
      }
    }
  });

  it('stores canonical durations that sum to the clip, and every rendition’s own EXTINF durations', () => {
    const asset = db.prepare('SELECT * FROM assets WHERE id = ?').get(assetId) as AssetRow;
    expect(JSON.parse(asset.segment_ms)).toEqual([6000, 6000, 2000]);
    expect(asset.duration_ms).toBe(14_000);
    expect(asset.segment_count).toBe(3);
    const audio = db.prepare("SELECT segment_durations FROM asset_renditions WHERE asset_id = ? AND name = 'audio'").get(assetId) as RenditionRow;
    const audioDurations = JSON.parse(audio.segment_durations) as number[];
    expect(audioDurations).toHaveLength(3);
    // AAC frames are 21.3 ms: the audio-only timeline is close to, not equal to, the video's.
    expect(Math.abs(audioDurations.reduce((a, b) => a + b, 0) - 14)).toBeLessThan(0.1);
  });

  it('leaves no temp dir behind, and packaging the same source again reuses the asset', async () => {
    expect(readdirSync(join(dataDir, 'media')).sort()).toEqual([assetId]);
    const again = await packageLesson({ db, dataDir, ladder }, 'g3-math-2', clip14);
    expect(again.reused).toBe(false); // another lesson: its own asset id, even for the same file
    const same = await packageLesson({ db, dataDir, ladder }, 'g3-math-1', clip14);
    expect(same).toMatchObject({ assetId, reused: true });
    expect((db.prepare('SELECT count(*) AS n FROM assets').get() as { n: number }).n).toBe(2);
  });
});

describe('the slate and fillers', () => {
  it('packages the slate with 1 s segments and refuses to reuse its id for other content', async () => {
    const { dataDir, db } = freshDataDir('slate');
    try {
      const outcome = await packageFiller({ db, dataDir, ladder }, { id: 'slate', kind: 'slate', title: { zh: '稍后继续', en: 'Back soon' }, source: slateClip });
      const asset = db.prepare("SELECT * FROM assets WHERE id = 'slate'").get() as AssetRow;
      expect(asset.kind).toBe('slate');
      expect(JSON.parse(asset.segment_ms)).toEqual([1000, 1000, 1000, 1000, 1000]);
      for (const r of ladder.renditions) expect(playlistSegments(join(dataDir, 'media', 'slate', r.name))).toHaveLength(5);
      expect(await firstFrameIsKey(join(dataDir, 'media', 'slate', '360p', segmentFileName(3)))).toBe(true);
      expect(outcome.mediaSeconds).toBe(5);

      const same = await packageFiller({ db, dataDir, ladder }, { id: 'slate', kind: 'slate', title: { zh: '稍后继续' }, source: slateClip });
      expect(same.reused).toBe(true);
      await expect(
        packageFiller({ db, dataDir, ladder }, { id: 'slate', kind: 'slate', title: { zh: '稍后继续' }, source: otherSlateClip }),
      ).rejects.toThrow(/already published from different content/);
      expect(JSON.parse((db.prepare("SELECT segment_ms FROM assets WHERE id = 'slate'").get() as AssetRow).segment_ms)).toHaveLength(5);
    } finally {
      db.close();
    }
  });
});

describe('rejected sources', () => {
  const cases: [string, () => string, RegExp][] = [
    ['an unreadable file', () => join(work, 'src', 'missing.mp4'), /unreadable file: ENOENT/],
    ['a source without audio', () => videoOnly, /no audio stream/],
    ['a truncated (corrupt) file', () => truncated, /corrupt data/],
    ['a file that is not video', () => writeNotVideo(), /corrupt data/],
  ];
  function writeNotVideo(): string {
    const path = join(work, 'src', 'notes.mp4');
    writeFileSync(path, 'these are lesson notes, not a video\n'.repeat(50));
    return path;
  }

  let caseNumber = 0;
  it.each(cases)('rejects %s with its reason and marks the lesson failed, changing nothing else', async (_, source, reason) => {
    const { dataDir, db } = freshDataDir(`reject-${++caseNumber}`);
    try {
      const error = await packageLesson({ db, dataDir, ladder }, 'g3-math-1', source()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(reason);
      const lesson = lessonRow(db, 'g3-math-1');
      expect(lesson.status).toBe('failed');
      expect(lesson.failure_reason).toMatch(reason);
      expect(lesson.asset_id).toBeNull();
      expect((db.prepare('SELECT count(*) AS n FROM assets').get() as { n: number }).n).toBe(0);
      const media = join(dataDir, 'media');
      expect(existsSync(media) ? readdirSync(media) : []).toEqual([]);
    } finally {
      db.close();
    }
  });
});

function runCli(args: string[], onStdout?: (text: string, kill: () => void) => void) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolvePromise) => {
    const child = spawn(process.execPath, ['bin/aerial.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, () => child.kill('SIGKILL'));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

describe('aerial package (CLI)', () => {
  it('reports an unknown lesson and a rejected source with exit 2', async () => {
    const { dataDir, db } = freshDataDir('cli-bad');
    db.close();
    const unknown = await runCli(['--data', dataDir, 'package', '--lesson', 'no-such-lesson', '--source', clip14]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown lesson 'no-such-lesson'/);
    const noAudio = await runCli(['--data', dataDir, 'package', '--lesson', 'g3-math-2', '--source', videoOnly, '--ladder', 'sample']);
    expect(noAudio.code).toBe(2);
    expect(noAudio.stderr).toMatch(/no audio stream/);
    const badLadder = await runCli(['--data', dataDir, 'package', '--pending', '--ladder', 'huge']);
    expect(badLadder.code).toBe(2);
    expect(badLadder.stderr).toMatch(/unknown ladder 'huge'/);
    const check = openDb(dataDir);
    expect(lessonRow(check, 'g3-math-2')).toMatchObject({ status: 'failed', failure_reason: 'no audio stream' });
    check.close();
  });

  it('packages a filler from the command line under the id timetables name, and refuses incomplete arguments', async () => {
    const { dataDir, db } = freshDataDir('cli-filler');
    db.close();
    const missingTitle = await runCli(['--data', dataDir, 'package', '--filler', 'eye-exercises', '--source', clip14]);
    expect(missingTitle.code).toBe(2);
    expect(missingTitle.stderr).toMatch(/--filler needs --source FILE and --title-zh TITLE/);
    const ok = await runCli(['--data', dataDir, 'package', '--filler', 'eye-exercises', '--source', clip14, '--title-zh', '眼保健操', '--title-en', 'Eye exercises', '--ladder', 'sample']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^eye-exercises: packaged \(14\.0 s of media/m);
    const check = openDb(dataDir);
    expect(check.prepare("SELECT kind, title_zh, title_en, ladder FROM assets WHERE id = 'eye-exercises'").get()).toEqual({
      kind: 'filler',
      title_zh: '眼保健操',
      title_en: 'Eye exercises',
      ladder: 'sample',
    });
    check.close();
    expect(existsSync(join(dataDir, 'media', 'eye-exercises', '360p', VOD_PLAYLIST_NAME))).toBe(true);
  });

  it('survives SIGKILL mid-run: nothing visible, nothing packaged, and a re-run (--pending) succeeds', async () => {
    const { dataDir, db } = freshDataDir('cli-kill');
    db.prepare("UPDATE lessons SET source = ? WHERE id = 'g3-math-3'").run(clip20);
    db.close();

    let killedAt = '';
    const killed = await runCli(['--data', dataDir, 'package', '--lesson', 'g3-math-3', '--ladder', 'sample'], (out, kill) => {
      if (!killedAt && /g3-math-3\.[0-9a-f]+: \d+% /.test(out)) {
        killedAt = out;
        kill();
      }
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killedAt).not.toBe('');
    const afterKill = openDb(dataDir);
    expect(lessonRow(afterKill, 'g3-math-3')).toEqual({ status: 'registered', failure_reason: null, asset_id: null });
    expect((afterKill.prepare('SELECT count(*) AS n FROM assets').get() as { n: number }).n).toBe(0);
    afterKill.close();
    // Only a hidden temp dir of the killed run may remain; no asset directory is visible.
    expect(readdirSync(join(dataDir, 'media')).filter((e) => !e.startsWith('.'))).toEqual([]);

    const rerun = await runCli(['--data', dataDir, 'package', '--pending', '--ladder', 'sample']);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/summary: 1 asset\(s\) packaged, 0 already packaged, 0 rejected, 0 failed; 20\.0 s of media/);
    const after = openDb(dataDir);
    const lesson = lessonRow(after, 'g3-math-3');
    expect(lesson.status).toBe('packaged');
    expect(readdirSync(join(dataDir, 'media'))).toEqual([lesson.asset_id]);
    after.close();
  });
});
