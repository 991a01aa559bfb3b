import { DtdValidator, XmlDocument, XmlDtd } from 'libxml2-wasm';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADDERS } from '../../packaging/ladder.ts';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import type { GuideResponse, LessonDetail } from '../../playlists/guide-json.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { packageLesson } from '../../scheduler/packaging/package-lesson.ts';
import { jpegSize } from '../helpers/jpeg.ts';
import { guideDataDir, NOW_MS } from './guide-data-dir-fixtures.ts';
import { makeDataDir, rawRequest, startOrigin, type DataDir, type RunningOrigin } from './origin-fixtures.ts';
import type { TempDataDir } from './schedule-data-dir-fixtures.ts';

const clock = fixedClock(NOW_MS);

describe('a packaged lesson has a poster', () => {
  let data: DataDir;
  let origin: RunningOrigin;
  let assetId: string;

  beforeAll(async () => {
    data = makeDataDir('aerial-posters-');
    data.db
      .prepare(
        `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, source)
         VALUES ('g3-math-1', 3, 'math', 'pep', 1, 1, '第一单元', 1, '时、分、秒', NULL)`,
      )
      .run();
    // 4:3 source: the posters are letterboxed into 16:9, never stretched.
    const clip = await makeSyntheticClip({
      path: join(data.dataDir, 'src.mp4'),
      durationS: 4,
      width: 320,
      height: 240,
    });
    ({ assetId } = await packageLesson(
      { db: data.db, dataDir: data.dataDir, ladder: LADDERS.sample! },
      'g3-math-1',
      clip,
    ));
    origin = await startOrigin(data, clock);
  });
  afterAll(async () => {
    await origin?.close();
    data?.cleanup();
  });

  it('writes 480×270 and 1280×720 JPEGs taken 10 % into the lesson, and records them with the asset', () => {
    for (const [file, size] of [
      ['480.jpg', { width: 480, height: 270 }],
      ['1280.jpg', { width: 1280, height: 720 }],
    ] as const) {
      expect(jpegSize(readFileSync(join(data.mediaDir, assetId, 'poster', file)))).toEqual(size);
    }
    const row = data.db.prepare('SELECT poster FROM assets WHERE id = ?').get(assetId) as { poster: string };
    expect(JSON.parse(row.poster)).toEqual({
      offsetMs: 400,
      sizes: [
        { width: 480, height: 270 },
        { width: 1280, height: 720 },
      ],
    });
    const record = JSON.parse(readFileSync(join(data.mediaDir, assetId, 'packaging.json'), 'utf8'));
    expect(record.poster.offsetMs).toBe(400);
  });

  it('takes the frame where the packaging context says (aerial package --poster-at)', async () => {
    data.db
      .prepare(
        `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, source)
         VALUES ('g3-math-2', 3, 'math', 'pep', 1, 1, '第一单元', 2, '秒的认识', NULL)`,
      )
      .run();
    const ctx = { db: data.db, dataDir: data.dataDir, ladder: LADDERS.sample!, poster: { offsetS: 3 } };
    const other = await packageLesson(ctx, 'g3-math-2', join(data.dataDir, 'src.mp4'));
    const row = data.db.prepare('SELECT poster FROM assets WHERE id = ?').get(other.assetId) as { poster: string };
    expect(JSON.parse(row.poster).offsetMs).toBe(3000);
  });

  it('serves them under /media/ as immutable JPEGs', async () => {
    for (const [file, width] of [
      ['480.jpg', 480],
      ['1280.jpg', 1280],
    ] as const) {
      const res = await rawRequest(origin.baseUrl, `/media/${assetId}/poster/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(jpegSize(res.body).width).toBe(width);
    }
    expect((await rawRequest(origin.baseUrl, `/media/${assetId}/poster/640.jpg`)).status).toBe(404);
    expect((await rawRequest(origin.baseUrl, `/media/${assetId}/poster/480.png`)).status).toBe(400);
  });

  it('lists them on the lesson in /api/lessons and /api/lessons/:id', async () => {
    const expected = {
      small: `${origin.baseUrl}/media/${assetId}/poster/480.jpg`,
      large: `${origin.baseUrl}/media/${assetId}/poster/1280.jpg`,
    };
    const list = (await (await fetch(`${origin.baseUrl}/api/lessons`)).json()) as { lessons: LessonDetail[] };
    expect(list.lessons.find((l) => l.id === 'g3-math-1')?.poster).toEqual(expected);
    const one = (await (await fetch(`${origin.baseUrl}/api/lessons/g3-math-1`)).json()) as LessonDetail;
    expect(one.poster).toEqual(expected);
  });
});

describe('guides carry the posters of the lessons they list', () => {
  const dtd = readFileSync(fileURLToPath(new URL('../fixtures/xmltv.dtd', import.meta.url)), 'utf8');
  let data: TempDataDir;
  let origin: RunningOrigin;
  const posterOf = (assetId: string, width: number) => `${origin.baseUrl}/media/${assetId}/poster/${width}.jpg`;

  beforeAll(async () => {
    data = guideDataDir();
    // Lessons of grade 3 have posters, grade 4 ones were packaged before posters existed (no poster).
    const sizes = [
      { width: 480, height: 270 },
      { width: 1280, height: 720 },
    ];
    data.db
      .prepare("UPDATE assets SET poster = ? WHERE kind = 'lesson' AND id LIKE 'a-g3-%'")
      .run(JSON.stringify({ offsetMs: 120_000, sizes }));
    const mediaDir = join(data.dir, 'media');
    mkdirSync(mediaDir, { recursive: true });
    origin = await startOrigin({ db: data.db, mediaDir }, clock);
  });
  afterAll(async () => {
    await origin?.close();
    data?.close();
  });

  it('/api/guide: each g3 lesson airing has its poster, fillers and posterless lessons have none', async () => {
    const res = await fetch(`${origin.baseUrl}/api/guide?from=2027-03-24T00:00:00Z&to=2027-03-24T12:00:00Z`);
    const guide = (await res.json()) as GuideResponse;
    const assetOf = new Map(
      (data.db.prepare('SELECT id, asset_id FROM lessons').all() as { id: string; asset_id: string }[]).map((r) => [
        r.id,
        r.asset_id,
      ]),
    );
    const programmes = guide.channels.flatMap((c) => c.programmes.map((p) => ({ channel: c.channelId, ...p })));
    const g3Lessons = programmes.filter((p) => p.channel === 'g3' && p.lessonId);
    expect(g3Lessons.length).toBeGreaterThan(3);
    for (const p of g3Lessons) {
      const asset = assetOf.get(p.lessonId!)!;
      expect(p.poster).toEqual({ small: posterOf(asset, 480), large: posterOf(asset, 1280) });
    }
    expect(programmes.filter((p) => p.poster && (p.channel !== 'g3' || !p.lessonId))).toEqual([]);
  });

  it('/epg.xml: g3 lesson programmes have an absolute <icon>, and the document is still DTD-valid', async () => {
    const xml = await (await fetch(`${origin.baseUrl}/epg.xml`)).text();
    const g3 = [...xml.matchAll(/<programme [^>]*channel="g3\.[^"]*">([\s\S]*?)<\/programme>/g)].map((m) => m[1]!);
    const withIcon = g3.filter((body) => body.includes('<icon src="'));
    expect(withIcon.length).toBeGreaterThan(3);
    for (const body of withIcon)
      expect(body).toMatch(/<icon src="http:\/\/127\.0\.0\.1:\d+\/media\/[^"]+\/poster\/1280\.jpg"\/>/);
    expect(xml).not.toMatch(/channel="g4\.[^"]*">(?:(?!<\/programme>)[\s\S])*<icon/);
    // The rendered days serve every host: through a proxy, the same document on the proxy's base URL.
    const proxied = await fetch(`${origin.baseUrl}/epg.xml`, { headers: { 'X-Forwarded-Host': 'tv.school.example' } });
    expect(await proxied.text()).toBe(xml.replaceAll(origin.baseUrl, 'http://tv.school.example'));
    const document = XmlDocument.fromString(xml);
    const validator = new DtdValidator(XmlDtd.fromString(dtd));
    try {
      expect(() => validator.validate(document)).not.toThrow();
    } finally {
      validator.dispose();
      document.dispose();
    }
  });
});
