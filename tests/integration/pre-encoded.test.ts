import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseHls } from 'hls-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLadder, LESSON_SEGMENTING } from '../../packaging/ladder.ts';
import { encodeStillChunks, type StillOverrides } from '../../packaging/still-renditions.ts';
import { importCatalogFile } from '../../scheduler/catalog/catalog-import.ts';
import { InputError } from '../../scheduler/errors.ts';
import { packageLessonRenditions } from '../../scheduler/packaging/package-renditions.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';

/**
 * Ingest of pre-encoded renditions on tiny synthetic clips (2 s slides, one file per rendition of the
 * `sample` ladder): conforming files are segmented by stream copy and verified; each kind of
 * non-conforming file is refused with the rendition, the property and what was expected, and nothing
 * reaches the media directory.
 */

const ladder = getLadder('sample');
const fontFile = fileURLToPath(new URL('../../assets/fonts/AerialSans-Regular.otf', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'aerial-pre-encoded-'));
const dataDir = join(root, 'data');
let db: Db;

const lesson = (n: number) => ({
  id: `pre-${n}`,
  grade: 3,
  subject: 'math',
  edition: 'pep',
  volume: 1,
  unit: 1,
  unitTitleZh: '测量',
  lesson: n,
  titleZh: `毫米的认识（第${n}课时）`,
});

function clips(label: string, overrides: Record<string, StillOverrides> = {}, seconds = 2) {
  return encodeStillChunks({
    ladder,
    segmenting: LESSON_SEGMENTING,
    outDir: join(root, label),
    lines: ['三年级 数学', label],
    fontFile,
    seconds,
    overrides,
  });
}

function mediaEntries(): string[] {
  const dir = join(dataDir, 'media');
  return existsSync(dir) ? readdirSync(dir) : [];
}

beforeAll(() => {
  db = openDb(dataDir);
  const catalog = join(root, 'catalog.json');
  writeFileSync(catalog, JSON.stringify({ lessons: [1, 2, 3, 4, 5, 6, 7].map(lesson) }));
  importCatalogFile(db, catalog);
});
afterAll(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

const ctx = () => ({ db, dataDir, ladder, now: () => Date.UTC(2026, 8, 1) });

describe('pre-encoded renditions', () => {
  it('are segmented by stream copy, verified and recorded like a transcode', async () => {
    const files = await clips('ok');
    const outcome = await packageLessonRenditions(ctx(), 'pre-1', { files });
    expect(outcome).toMatchObject({ reused: false, mediaSeconds: 2 });
    const asset = db.prepare('SELECT * FROM assets WHERE id = ?').get(outcome.assetId) as Record<string, unknown>;
    expect(asset).toMatchObject({ kind: 'lesson', lesson_id: 'pre-1', ladder: 'sample', duration_ms: 2000 });
    const renditions = db
      .prepare(
        'SELECT name, width, height, codecs, bandwidth FROM asset_renditions WHERE asset_id = ? ORDER BY position',
      )
      .all(outcome.assetId) as { name: string; codecs: string; bandwidth: number }[];
    expect(renditions.map((r) => [r.name, r.codecs])).toEqual([
      ['360p', expect.stringMatching(/^avc1\.4d40[0-9a-f]{2},mp4a\.40\.2$/)],
      ['240p', expect.stringMatching(/^avc1\.4d40[0-9a-f]{2},mp4a\.40\.2$/)],
      ['audio', 'mp4a.40.2'],
    ]);
    for (const r of renditions) {
      expect(r.bandwidth).toBeGreaterThan(0);
      const playlist = parseHls(readFileSync(join(dataDir, 'media', outcome.assetId, r.name, 'index.m3u8'), 'utf8'));
      expect(playlist.isMasterPlaylist ? 0 : playlist.segments.length).toBe(1);
    }
    expect(db.prepare("SELECT status, asset_id FROM lessons WHERE id = 'pre-1'").get()).toEqual({
      status: 'packaged',
      asset_id: outcome.assetId,
    });
    // The same files again: linked, not packaged twice.
    expect(await packageLessonRenditions(ctx(), 'pre-1', { files })).toMatchObject({ reused: true });
  });

  const refused: [string, string, Record<string, StillOverrides>, RegExp, number?][] = [
    ['wrong size', 'pre-2', { '240p': { width: 320, height: 180 } }, /240p: size must be 426x240, found 320x180/],
    [
      'keyframes off the segment cadence',
      'pre-3',
      { '360p': { gopSeconds: 4 } },
      /360p: keyframes must be one at every 6 s segment start \(closed GOPs\), found none at 6\.00 s/,
      6.4,
    ],
    [
      'an open GOP',
      'pre-4',
      { '360p': { openGop: true } },
      /360p: GOP structure must be closed GOPs, found an open GOP at 2\.00 s/,
      6.4,
    ],
    [
      'wrong sample rate',
      'pre-5',
      { audio: { sampleRate: 44100 } },
      /audio: audio sample rate must be 48000 Hz, found 44100 Hz/,
    ],
    [
      'renditions of different lengths',
      'pre-6',
      { '240p': { seconds: 1 } },
      /240p: length must be 2\.00 s \(as 360p\), found 1\.00 s/,
    ],
  ];
  for (const [what, lessonId, overrides, reason, seconds] of refused) {
    it(`are refused with the reason: ${what}`, async () => {
      const before = mediaEntries();
      const files = await clips(lessonId, overrides, seconds);
      const error = await packageLessonRenditions(ctx(), lessonId, { files }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(reason);
      expect(mediaEntries()).toEqual(before);
      const row = db.prepare('SELECT status, failure_reason, asset_id FROM lessons WHERE id = ?').get(lessonId);
      expect(row).toEqual({ status: 'failed', failure_reason: expect.stringMatching(reason), asset_id: null });
    });
  }

  it('must cover every rendition of the ladder, and only those', async () => {
    const files = await clips('ok');
    const only360 = packageLessonRenditions(ctx(), 'pre-2', { files: { '360p': files['360p']! } });
    await expect(only360).rejects.toThrow(/rendition 240p: file must be given \(ladder sample\), found none/);
    const extra = packageLessonRenditions(ctx(), 'pre-2', { files: { ...files, '1080p': files['360p']! } });
    await expect(extra).rejects.toThrow(/rendition 1080p: name must be one of the ladder's \(360p, 240p, audio\)/);
  });

  it('come in through `aerial package --lesson ID --renditions NAME=FILE,…`, and bad ones exit 2', async () => {
    const files = await clips('cli');
    const spec = Object.entries(files)
      .map(([name, file]) => `${name}=${file}`)
      .join(',');
    const aerial = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/aerial.js', '--data', dataDir, 'package', ...args], { encoding: 'utf8' });
    const ok = aerial('--lesson', 'pre-7', '--ladder', 'sample', '--renditions', spec);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^pre-7: packaged pre-7\.[0-9a-f]{10} from pre-encoded renditions \(2\.0 s of media/);
    expect(ok.status).toBe(0);
    const malformed = aerial('--lesson', 'pre-7', '--ladder', 'sample', '--renditions', '360p');
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain("--renditions: '360p' is not NAME=FILE");
  });
});
