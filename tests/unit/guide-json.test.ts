import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { channelsJson, guideJson, lessonJson, lessonsJson, noticesJson } from '../../playlists/guide-json.ts';
import { GUIDE_OPENAPI } from '../../playlists/guide-openapi.ts';
import {
  BASE_URL,
  CHANNEL_G3,
  CHANNEL_G8,
  CHANNEL_NY,
  LESSONS,
  SUSPENSION_NOTICE,
  g3Days,
  g8Days,
  nyDays,
} from '../helpers/guide-day-fixtures.ts';

const channels = [CHANNEL_NY, CHANNEL_G8, CHANNEL_G3];
const days = [...g3Days(), ...g8Days(), ...nyDays()];

/** Ajv (JSON Schema 2020-12, the OpenAPI 3.1 dialect) over the document's component schemas, strict mode. */
function openApiValidator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  // Same schemas, with the OpenAPI component refs pointed at $defs so Ajv resolves them inside one document.
  const defs = JSON.parse(
    JSON.stringify(GUIDE_OPENAPI.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'),
  );
  ajv.addSchema({ $id: 'https://aerial.test/guide', $defs: defs });
  return (schema: keyof typeof GUIDE_OPENAPI.components.schemas, body: unknown) => {
    const validate = ajv.getSchema(`https://aerial.test/guide#/$defs/${schema}`)!;
    const ok = validate(JSON.parse(JSON.stringify(body)));
    return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

describe('guide JSON', () => {
  const validate = openApiValidator();

  it('every response matches its OpenAPI schema, and a drifted one does not', () => {
    const from = Date.UTC(2026, 2, 1, 22);
    const to = Date.UTC(2026, 2, 3, 22);
    const guide = guideJson({ channels, days, from, to, lessons: LESSONS, baseUrl: BASE_URL });
    expect(validate('ChannelsResponse', channelsJson({ channels, baseUrl: BASE_URL }))).toEqual([]);
    expect(validate('GuideResponse', guide)).toEqual([]);
    expect(validate('LessonsResponse', lessonsJson({ lessons: LESSONS, baseUrl: BASE_URL }))).toEqual([]);
    expect(validate('Lesson', lessonJson(LESSONS[0]!, BASE_URL))).toEqual([]);
    expect(validate('NoticesResponse', noticesJson({ channels, days, now: from }))).toEqual([]);
    const drifted = structuredClone(guide);
    (drifted.channels[0]!.programmes[0] as unknown as Record<string, unknown>).startTime = 'x';
    expect(validate('GuideResponse', drifted).join()).toMatch(/additional properties/);
    expect(validate('ChannelsResponse', { channels: [{ ...CHANNEL_G3 }] }).length).toBeGreaterThan(0);
  });

  it('the paths name every guide route with its response schema', () => {
    expect(Object.keys(GUIDE_OPENAPI.paths).sort()).toEqual([
      '/api/channels',
      '/api/guide',
      '/api/lessons',
      '/api/lessons/{id}',
      '/api/notices',
    ]);
    const refs = JSON.stringify(GUIDE_OPENAPI).match(/#\/components\/schemas\/\w+/g)!;
    for (const r of refs) expect(GUIDE_OPENAPI.components.schemas).toHaveProperty(r.split('/').pop()!);
  });

  it('channels: by number, with absolute stream, calendar, timetable and guide URLs', () => {
    const body = channelsJson({ channels, baseUrl: BASE_URL });
    expect(body.channels.map((c) => c.id)).toEqual(['g3', 'g8', 'ny7']);
    expect(body.channels[0]).toMatchObject({
      logo: `${BASE_URL}/static/logos/g3.png`,
      streamUrl: `${BASE_URL}/live/g3/master.m3u8`,
      calendarUrl: `${BASE_URL}/calendar/g3.ics`,
      timetableUrl: `${BASE_URL}/timetable/g3`,
      epgUrl: `${BASE_URL}/epg/g3.xml`,
      group: '小学',
    });
    expect(body.channels[1]).not.toHaveProperty('logo');
  });

  it('guide: programmes overlapping [from, to), local times with the channel offset, lesson positions', () => {
    // 08:10–08:50 +0800 on 2 March: the 08:00 lesson (overlaps), filler, slate, the 08:45 lesson.
    const from = Date.UTC(2026, 2, 2, 0, 10);
    const to = Date.UTC(2026, 2, 2, 0, 50);
    const body = guideJson({ channels, days, from, to, lessons: LESSONS, channelIds: ['g3'], baseUrl: BASE_URL });
    expect(body.channels).toHaveLength(1);
    const programmes = body.channels[0]!.programmes;
    expect(programmes.map((p) => [p.kind, p.start])).toEqual([
      ['lesson', '2026-03-02T08:00:00.000+08:00'],
      ['filler', '2026-03-02T08:20:00.000+08:00'],
      ['slate', '2026-03-02T08:25:00.000+08:00'],
      ['lesson', '2026-03-02T08:45:00.000+08:00'],
    ]);
    expect(programmes[0]).toMatchObject({
      id: 'g3-2026-03-02-0800',
      subject: 'chinese',
      subjectName: { zh: '语文', en: 'Chinese' },
      volume: 1,
      unitNumber: 1,
      lessonNumber: 1,
      end: '2026-03-02T08:20:00.000+08:00',
      catchUpUrl: `${BASE_URL}/vod/airings/g3-2026-03-02-0800/master.m3u8`,
    });
    // Half-open: a programme ending exactly at `from` is not included.
    const after = guideJson({
      channels,
      days,
      from: Date.UTC(2026, 2, 2, 0, 20),
      to,
      lessons: LESSONS,
      channelIds: ['g3'],
      baseUrl: BASE_URL,
    });
    expect(after.channels[0]!.programmes[0]!.kind).toBe('filler');
    const ny = guideJson({
      channels,
      days,
      from: Date.UTC(2026, 9, 31, 12),
      to: Date.UTC(2026, 10, 1, 14),
      lessons: LESSONS,
      channelIds: ['ny7'],
      baseUrl: BASE_URL,
    });
    expect(ny.channels[0]!.programmes.filter((p) => p.lessonId).map((p) => p.start)).toEqual([
      '2026-10-31T08:00:00.000-04:00',
      '2026-11-01T08:00:00.000-05:00',
    ]);
  });

  it('posters: a lesson and each of its airings carry absolute poster URLs; a lesson without one has none', () => {
    const media = `${BASE_URL}/media/cn-g3-v1-u1-l1.0123456789/poster`;
    const expected = { small: `${media}/480.jpg`, large: `${media}/1280.jpg` };
    expect(lessonJson(LESSONS[0]!, BASE_URL).poster).toEqual(expected);
    expect(lessonJson(LESSONS[1]!, BASE_URL)).not.toHaveProperty('poster');
    const guide = guideJson({
      channels,
      days,
      from: Date.UTC(2026, 2, 1, 22),
      to: Date.UTC(2026, 2, 3, 22),
      lessons: LESSONS,
      baseUrl: BASE_URL,
    });
    const programmes = guide.channels.flatMap((c) => c.programmes);
    const withPoster = programmes.filter((p) => p.poster);
    expect(withPoster.length).toBeGreaterThan(0);
    for (const p of withPoster) expect([p.lessonId, p.poster]).toEqual(['cn-g3-v1-u1-l1', expected]);
    expect(programmes.filter((p) => p.lessonId === 'cn-g3-v1-u1-l1' && !p.poster)).toEqual([]);
  });

  it('guide: refuses an empty range and unknown channels', () => {
    expect(() => guideJson({ channels, days, from: 10, to: 10, lessons: LESSONS, baseUrl: BASE_URL })).toThrow(
      /from < to/,
    );
    expect(() =>
      guideJson({ channels, days, from: 0, to: 10, lessons: LESSONS, channelIds: ['g9'], baseUrl: BASE_URL }),
    ).toThrow(/unknown channel "g9"/);
  });

  it('lessons: filters by grade, subject, edition and text; pages in textbook order', () => {
    expect(lessonsJson({ lessons: LESSONS, filter: { grade: 3 }, baseUrl: BASE_URL }).lessons.map((l) => l.id)).toEqual(
      ['cn-g3-v1-u1-l1', 'cn-g3-v1-u1-l2', 'ma-g3-v1-u1-l1'],
    );
    expect(
      lessonsJson({ lessons: LESSONS, filter: { subject: 'math', edition: 'pep' }, baseUrl: BASE_URL }).total,
    ).toBe(1);
    expect(
      lessonsJson({ lessons: LESSONS, filter: { q: 'FLOWERS' }, baseUrl: BASE_URL }).lessons.map((l) => l.id),
    ).toEqual(['cn-g3-v1-u1-l2']);
    expect(lessonsJson({ lessons: LESSONS, filter: { q: '学校生活' }, baseUrl: BASE_URL }).total).toBe(2);
    const page = lessonsJson({ lessons: LESSONS, filter: { offset: 1, limit: 2 }, baseUrl: BASE_URL });
    expect([page.total, page.offset, page.limit, page.lessons.length]).toEqual([4, 1, 2, 2]);
    expect(page.lessons[0]!.vodUrl).toBe(`${BASE_URL}/vod/lessons/cn-g3-v1-u1-l2/master.m3u8`);
    expect(() => lessonsJson({ lessons: LESSONS, filter: { limit: 501 }, baseUrl: BASE_URL })).toThrow(/limit must be/);
  });

  it('notices: one entry per order with its channels and dates, only while a day carrying it has not ended', () => {
    const suspensionDay = g3Days()[1]!;
    const before = noticesJson({ channels, days, now: suspensionDay.startMs - 1 });
    expect(before.notices).toEqual([
      {
        orderId: SUSPENSION_NOTICE.orderId,
        text: SUSPENSION_NOTICE.text,
        channels: ['g3'],
        firstDate: '2026-03-03',
        lastDate: '2026-03-03',
      },
    ]);
    expect(noticesJson({ channels, days, now: suspensionDay.endMs - 1 }).notices).toHaveLength(1);
    expect(noticesJson({ channels, days, now: suspensionDay.endMs }).notices).toEqual([]);
  });
});
