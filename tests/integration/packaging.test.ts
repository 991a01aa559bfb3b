import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaBinaries } from '../../packaging/binaries.ts';
import { LADDERS } from '../../packaging/ladder.ts';
import { runTool } from '../../packaging/run.ts';
import { makeSyntheticClip, truncateFile } from '../../packaging/synthetic.ts';
import {
  captionSegmentFileName,
  captionTrackName,
  segmentFileName,
  VOD_PLAYLIST_NAME,
} from '../../playlists/media-layout.ts';
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
  const run = await runTool(mediaBinaries().ffmpeg, [
    '-hide_banner',
    '-nostdin',
    '-i',
    segment,
    '-vf',
    'showinfo',
    '-frames:v',
    '1',
    '-f',
    'null',
    '-',
  ]);
  return /iskey:1/.test(run.stderr) && /type:I/.test(run.stderr);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aerial-packaging-'));
  [clip14, clip20, slateClip, otherSlateClip, videoOnly] = await Promise.all([
    makeSyntheticClip({ path: join(work, 'src', 'clip14.mp4'), durationS: 14 }),
    makeSyntheticClip({ path: join(work, 'src', 'clip20.mp4'), durationS: 20, width: 1280, height: 720 }),
    makeSyntheticClip({ path: join(work, 'src', 'slate.mp4'), durationS: 5, width: 320, height: 180, toneHz: 220 }),
    makeSyntheticClip({ path: join(work, 'src', 'slate2.mp4'), durationS: 4, width: 320, height: 180, toneHz: 330 }),
    makeSyntheticClip({
      path: join(work, 'src', 'video-only.mp4'),
      durationS: 6,
      width: 320,
      height: 180,
      withoutAudio: true,
    }),
  ]);
  truncated = await makeSyntheticClip({
    path: join(work, 'src', 'truncated.mp4'),
    durationS: 10,
    width: 320,
    height: 180,
  });
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
    const outcome = await packageLesson(
      { db, dataDir, ladder, onProgress: (_, p) => progress.push(p.fraction) },
      'g3-math-1',
      clip14,
    );
    assetId = outcome.assetId;
    expect(outcome.reused).toBe(false);
    expect(progress.at(-1)).toBe(1);
  });
  afterAll(() => db.close());

  it('records the asset with the ladder, its renditions and the lesson as packaged', () => {
    const asset = db.prepare('SELECT * FROM assets WHERE id = ?').get(assetId) as AssetRow;
    expect(asset).toMatchObject({ kind: 'lesson', lesson_id: 'g3-math-1', canonical_rendition: '360p' });
    const renditions = db
      .prepare('SELECT * FROM asset_renditions WHERE asset_id = ? ORDER BY position')
      .all(assetId) as RenditionRow[];
    expect(renditions.map((r) => [r.name, r.type, r.width, r.height])).toEqual([
      ['360p', 'video', 640, 360],
      ['240p', 'video', 426, 240],
      ['audio', 'audio', null, null],
    ]);
    for (const r of renditions.filter((x) => x.type === 'video'))
      expect(r.codecs).toMatch(/^avc1\.4d[0-9a-f]{4},mp4a\.40\.2$/);
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
        expect(
          await firstFrameIsKey(join(dataDir, 'media', assetId, r.name, segmentFileName(i))),
          `${r.name} segment ${i}`,
        ).toBe(true);
      }
    }
  });

  it('stores canonical durations that sum to the clip, and every rendition’s own EXTINF durations', () => {
    const asset = db.prepare('SELECT * FROM assets WHERE id = ?').get(assetId) as AssetRow;
    expect(JSON.parse(asset.segment_ms)).toEqual([6000, 6000, 2000]);
    expect(asset.duration_ms).toBe(14_000);
    expect(asset.segment_count).toBe(3);
    const audio = db
      .prepare("SELECT segment_durations FROM asset_renditions WHERE asset_id = ? AND name = 'audio'")
      .get(assetId) as RenditionRow;
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
      const outcome = await packageFiller(
        { db, dataDir, ladder },
        { id: 'slate', kind: 'slate', title: { zh: '稍后继续', en: 'Back soon' }, source: slateClip },
      );
      const asset = db.prepare("SELECT * FROM assets WHERE id = 'slate'").get() as AssetRow;
      expect(asset.kind).toBe('slate');
      expect(JSON.parse(asset.segment_ms)).toEqual([1000, 1000, 1000, 1000, 1000]);
      for (const r of ladder.renditions)
        expect(playlistSegments(join(dataDir, 'media', 'slate', r.name))).toHaveLength(5);
      expect(await firstFrameIsKey(join(dataDir, 'media', 'slate', '360p', segmentFileName(3)))).toBe(true);
      expect(outcome.mediaSeconds).toBe(5);

      const same = await packageFiller(
        { db, dataDir, ladder },
        { id: 'slate', kind: 'slate', title: { zh: '稍后继续' }, source: slateClip },
      );
      expect(same.reused).toBe(true);
      await expect(
        packageFiller(
          { db, dataDir, ladder },
          { id: 'slate', kind: 'slate', title: { zh: '稍后继续' }, source: otherSlateClip },
        ),
      ).rejects.toThrow(/already published from different content/);
      expect(
        JSON.parse((db.prepare("SELECT segment_ms FROM assets WHERE id = 'slate'").get() as AssetRow).segment_ms),
      ).toHaveLength(5);
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
  it.each(cases)(
    'rejects %s with its reason and marks the lesson failed, changing nothing else',
    async (_, source, reason) => {
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
    },
  );
});

/**
 * Independent of the pipeline's packet reading: decode the first video frame with -copyts and ask showinfo for its
 * PTS (90 kHz).
 */
async function firstFramePts(segment: string): Promise<number> {
  const run = await runTool(mediaBinaries().ffmpeg, [
    '-hide_banner',
    '-nostdin',
    '-copyts',
    '-i',
    segment,
    '-map',
    '0:v:0',
    '-vf',
    'showinfo',
    '-frames:v',
    '1',
    '-f',
    'null',
    '-',
  ]);
  const m = /n:\s*0 pts:\s*(\d+)/.exec(run.stderr);
  if (!m) throw new Error(`no showinfo line for ${segment}: ${run.stderr.slice(-500)}`);
  return Number(m[1]);
}

/**
 * The cues of a WebVTT file as ffmpeg's own WebVTT demuxer reads them: [start, end, text] (ms, ms, lines joined by
 * '/').
 */
async function cuesReadByFfmpeg(file: string): Promise<[number, number, string][]> {
  const run = await runTool(mediaBinaries().ffmpeg, [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-i',
    file,
    '-c',
    'copy',
    '-f',
    'webvtt',
    '-',
  ]);
  if (run.code !== 0 && !/does not contain any stream/.test(run.stderr))
    throw new Error(`ffmpeg cannot read ${file}: ${run.stderr}`);
  const ms = (t: string) => {
    const [s, frac] = t.split('.');
    return s!.split(':').reduce((acc, part) => acc * 60 + Number(part), 0) * 1000 + Number(frac);
  };
  return run.stdout
    .toString('utf8')
    .split(/\n\n+/)
    .map((block) => block.trim().split('\n'))
    .map((lines) => lines.slice(lines.findIndex((l) => l.includes('-->')))) // drop a cue identifier line
    .filter((lines) => lines[0]?.includes('-->'))
    .map((lines) => {
      const [start, , end] = lines[0]!.split(' ');
      return [ms(start!), ms(end!), lines.slice(1).join('/')];
    });
}

describe('captions (WebVTT sidecars)', () => {
  const SIDECAR = [
    'WEBVTT',
    '',
    'NOTE 三年级数学 第一单元',
    '',
    '00:00.500 --> 00:02.500',
    '同学们好！今天我们学习《时、分、秒》。',
    '',
    'across',
    '00:05.000 --> 00:07.300 line:85%',
    '第一单元：时、分、秒',
    '（第2句）',
    '',
    '00:06.000 --> 00:08.000',
    '正好从第二段开始',
    '',
    '00:12.500 --> 00:14.000',
    '这节课就到这里。',
    '',
  ].join('\r\n');

  function captionedSource(name: string, sidecars: Record<string, string | Uint8Array>): string {
    const dir = join(work, 'captioned', name);
    mkdirSync(dir, { recursive: true });
    const source = join(dir, 'lesson.mp4');
    copyFileSync(clip14, source);
    for (const [language, text] of Object.entries(sidecars)) writeFileSync(join(dir, `lesson.${language}.vtt`), text);
    return source;
  }

  function withCaptions(name: string, languages: string[]): { dataDir: string; db: Db } {
    const fresh = freshDataDir(name);
    fresh.db.prepare("UPDATE lessons SET captions = ? WHERE id = 'g3-math-1'").run(JSON.stringify(languages));
    return fresh;
  }

  it('writes one caption segment per video segment with the measured PTS map, cues where they belong, and an asset_captions row', async () => {
    const { dataDir, db } = withCaptions('captions', ['zh']);
    try {
      const source = captionedSource('ok', { zh: `\uFEFF${SIDECAR}` });
      const outcome = await packageLesson({ db, dataDir, ladder }, 'g3-math-1', source);
      const assetDir = join(dataDir, 'media', outcome.assetId);
      expect(readdirSync(assetDir).sort()).toEqual(['240p', '360p', 'audio', 'packaging.json', 'poster', 'sub-zh']);
      const videoSegments = playlistSegments(join(assetDir, '360p'));
      const track = join(assetDir, captionTrackName('zh'));
      expect(readdirSync(track).sort()).toEqual(videoSegments.map((_, i) => captionSegmentFileName(i)));
      expect(videoSegments).toHaveLength(3);

      const pts = await firstFramePts(join(assetDir, '360p', segmentFileName(0)));
      expect(pts).toBe(await firstFramePts(join(assetDir, '240p', segmentFileName(0))));
      expect(pts).toBeGreaterThan(0);
      expect(outcome.asset!.firstVideoPts90k).toBe(pts);
      const texts = videoSegments.map((_, i) => readFileSync(join(track, captionSegmentFileName(i)), 'utf8'));
      for (const text of texts)
        expect(text.startsWith(`WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:${pts},LOCAL:00:00:00.000\n`)).toBe(true);

      // Segments are [0, 6), [6, 12), [12, 14): the 5–7.3 s cue crosses into the second, the 6 s cue starts exactly on
      // it.
      const cues = await Promise.all(
        videoSegments.map((_, i) => cuesReadByFfmpeg(join(track, captionSegmentFileName(i)))),
      );
      expect(cues).toEqual([
        [
          [500, 2500, '同学们好！今天我们学习《时、分、秒》。'],
          [5000, 7300, '第一单元：时、分、秒/（第2句）'],
        ],
        [
          [5000, 7300, '第一单元：时、分、秒/（第2句）'],
          [6000, 8000, '正好从第二段开始'],
        ],
        [[12_500, 14_000, '这节课就到这里。']],
      ]);
      expect(texts[0]).toContain('across\n00:00:05.000 --> 00:00:07.300 line:85%\n');

      expect(db.prepare('SELECT asset_id, language, name, position FROM asset_captions').all()).toEqual([
        { asset_id: outcome.assetId, language: 'zh', name: 'sub-zh', position: 0 },
      ]);
      expect(JSON.parse(readFileSync(join(assetDir, 'packaging.json'), 'utf8')).captions).toEqual([
        { language: 'zh', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ]);

      // Captions are content: changed captions make a new asset (published segments are never overwritten), the same
      // ones reuse it.
      expect(await packageLesson({ db, dataDir, ladder }, 'g3-math-1', source)).toMatchObject({
        assetId: outcome.assetId,
        reused: true,
      });
      const changed = captionedSource('changed', { zh: SIDECAR.replace('这节课就到这里。', '下课！') });
      const second = await packageLesson({ db, dataDir, ladder }, 'g3-math-1', changed);
      expect(second.assetId).not.toBe(outcome.assetId);
      expect(second.reused).toBe(false);
    } finally {
      db.close();
    }
  });

  it('keeps catalog order for several languages, and gives fillers no captions', async () => {
    const { dataDir, db } = withCaptions('captions-multi', ['zh', 'en']);
    try {
      const source = captionedSource('multi', {
        zh: SIDECAR,
        en: 'WEBVTT\n\n00:01.000 --> 00:03.000\nGood morning, class.\n',
      });
      const outcome = await packageLesson({ db, dataDir, ladder }, 'g3-math-1', source);
      expect(
        db
          .prepare('SELECT language, name, position FROM asset_captions WHERE asset_id = ? ORDER BY position')
          .all(outcome.assetId),
      ).toEqual([
        { language: 'zh', name: 'sub-zh', position: 0 },
        { language: 'en', name: 'sub-en', position: 1 },
      ]);
      expect(readdirSync(join(dataDir, 'media', outcome.assetId, 'sub-en'))).toHaveLength(3);
      await packageFiller({ db, dataDir, ladder }, { id: 'ident', kind: 'filler', title: { zh: '空中课堂' }, source });
      expect(db.prepare("SELECT count(*) AS n FROM asset_captions WHERE asset_id = 'ident'").get()).toEqual({ n: 0 });
      expect(readdirSync(join(dataDir, 'media', 'ident')).filter((e) => e.startsWith('sub-'))).toEqual([]);
    } finally {
      db.close();
    }
  });

  const bad: [string, Record<string, string | Uint8Array>, RegExp][] = [
    ['a missing sidecar', { zh: SIDECAR }, /lesson\.en\.vtt: missing caption sidecar/],
    ['no WEBVTT header', { en: SIDECAR.replace('WEBVTT', 'WEBVT') }, /lesson\.en\.vtt:1: missing 'WEBVTT' header/],
    [
      'a bad timestamp',
      { en: SIDECAR.replace('00:06.000 -->', '00:06,000 -->') },
      /lesson\.en\.vtt:13: cue start: bad timestamp '00:06,000'/,
    ],
    [
      'a cue ending before it starts',
      { en: SIDECAR.replace('00:12.500 --> 00:14.000', '00:12.500 --> 00:12.000') },
      /lesson\.en\.vtt:16: cue ends \(00:12\.000\) at or before it starts/,
    ],
    [
      'a cue beyond the video',
      { en: SIDECAR.replace('00:12.500 --> 00:14.000', '00:12.500 --> 00:14.100') },
      /lesson\.en\.vtt:16: cue ends at 00:00:14\.100, beyond the end of the video \(00:00:14\.000\)/,
    ],
    [
      'a file that is not UTF-8',
      { en: new Uint8Array([...Buffer.from('WEBVTT\n\n00:01.000 --> 00:02.000\n'), 0xc4, 0xe3, 0xba, 0xc3]) },
      /lesson\.en\.vtt:4: not UTF-8/,
    ],
  ];
  let badCase = 0;
  it.each(bad)('rejects %s naming file, line and reason, and writes nothing', async (_, sidecars, reason) => {
    const { dataDir, db } = withCaptions(`captions-bad-${++badCase}`, ['en']);
    try {
      const source = captionedSource(`bad-${badCase}`, sidecars);
      const error = await packageLesson({ db, dataDir, ladder }, 'g3-math-1', source).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(/^lesson 'g3-math-1': captions rejected\n/);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).toContain(join(work, 'captioned', `bad-${badCase}`, 'lesson.en.vtt'));
      const lesson = lessonRow(db, 'g3-math-1');
      expect(lesson).toMatchObject({ status: 'failed', asset_id: null });
      expect(lesson.failure_reason).toMatch(reason);
      expect(
        db
          .prepare('SELECT (SELECT count(*) FROM assets) AS assets, (SELECT count(*) FROM asset_captions) AS captions')
          .get(),
      ).toEqual({ assets: 0, captions: 0 });
      const media = join(dataDir, 'media');
      expect(existsSync(media) ? readdirSync(media) : []).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('aerial package --lesson reports a bad sidecar with exit 2', async () => {
    const { dataDir, db } = withCaptions('captions-cli', ['zh']);
    db.close();
    const source = captionedSource('cli', { zh: SIDECAR.replace('00:12.500', '00:12.5') });
    const run = await runCli([
      '--data',
      dataDir,
      'package',
      '--lesson',
      'g3-math-1',
      '--source',
      source,
      '--ladder',
      'sample',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${join(work, 'captioned', 'cli', 'lesson.zh.vtt')}:16: cue start: bad timestamp '00:12.5'`,
    );
  });
});

function runCli(args: string[], onStdout?: (text: string, kill: () => void) => void) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolvePromise) => {
      const child = spawn(process.execPath, ['bin/aerial.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        onStdout?.(stdout, () => child.kill('SIGKILL'));
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    },
  );
}

describe('aerial package (CLI)', () => {
  it('reports an unknown lesson and a rejected source with exit 2', async () => {
    const { dataDir, db } = freshDataDir('cli-bad');
    db.close();
    const unknown = await runCli(['--data', dataDir, 'package', '--lesson', 'no-such-lesson', '--source', clip14]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown lesson 'no-such-lesson'/);
    const noAudio = await runCli([
      '--data',
      dataDir,
      'package',
      '--lesson',
      'g3-math-2',
      '--source',
      videoOnly,
      '--ladder',
      'sample',
    ]);
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
    const ok = await runCli([
      '--data',
      dataDir,
      'package',
      '--filler',
      'eye-exercises',
      '--source',
      clip14,
      '--title-zh',
      '眼保健操',
      '--title-en',
      'Eye exercises',
      '--ladder',
      'sample',
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^eye-exercises: packaged \(14\.0 s of media/m);
    const check = openDb(dataDir);
    expect(
      check.prepare("SELECT kind, title_zh, title_en, ladder FROM assets WHERE id = 'eye-exercises'").get(),
    ).toEqual({
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
    const killed = await runCli(
      ['--data', dataDir, 'package', '--lesson', 'g3-math-3', '--ladder', 'sample'],
      (out, kill) => {
        if (!killedAt && /g3-math-3\.[0-9a-f]+: \d+% /.test(out)) {
          killedAt = out;
          kill();
        }
      },
    );
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
    expect(rerun.stdout).toMatch(
      /summary: 1 asset\(s\) packaged, 0 already packaged, 0 rejected, 0 failed; 20\.0 s of media/,
    );
    const after = openDb(dataDir);
    const lesson = lessonRow(after, 'g3-math-3');
    expect(lesson.status).toBe('packaged');
    expect(readdirSync(join(dataDir, 'media'))).toEqual([lesson.asset_id]);
    after.close();
  });
});
