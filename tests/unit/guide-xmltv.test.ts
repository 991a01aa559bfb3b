import { mergeSlateRuns } from '../../playlists/guide-items.ts';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DtdValidator, XmlDocument, XmlDtd } from 'libxml2-wasm';
import { escapeXml, renderXmltv, xmltvEpisodeNumber, xmltvTime } from '../../playlists/xmltv.ts';
import { localIso, xmltvChannelId } from '../../playlists/guide-types.ts';
import { DateTime } from 'luxon';
import {
  BASE_URL,
  CHANNEL_G3,
  CHANNEL_G8,
  CHANNEL_NY,
  GENERATED_AT,
  LESSONS,
  g3Days,
  g8Days,
  nyDays,
} from '../helpers/guide-day-fixtures.ts';

// The project's copy of the XMLTV DTD; the shared standards folder is preferred when present (same file).
const sharedDtd = fileURLToPath(new URL('../../../shared/standards/xmltv.dtd', import.meta.url));
const dtdPath = existsSync(sharedDtd) ? sharedDtd : fileURLToPath(new URL('../fixtures/xmltv.dtd', import.meta.url));
const dtd = readFileSync(dtdPath, 'utf8');

/** Real DTD validation with libxml2 (compiled to WebAssembly): what `xmllint --dtdvalid xmltv.dtd` does. */
function validateAgainstDtd(xml: string): { valid: boolean; errors: string[] } {
  const document = XmlDocument.fromString(xml);
  const validator = new DtdValidator(XmlDtd.fromString(dtd));
  try {
    validator.validate(document);
    return { valid: true, errors: [] };
  } catch (error) {
    const details = (error as { details?: { message: string; line: number }[] }).details ?? [];
    return {
      valid: false,
      errors: details.length ? details.map((d) => `line ${d.line}: ${d.message}`) : [String(error)],
    };
  } finally {
    validator.dispose();
    document.dispose();
  }
}

function renderAll(): string {
  return renderXmltv({
    channels: [CHANNEL_NY, CHANNEL_G3, CHANNEL_G8],
    days: [...nyDays(), ...g8Days(), ...g3Days()],
    lessons: LESSONS,
    generatedAt: GENERATED_AT,
    baseUrl: BASE_URL,
  });
}

/** Programme elements with their attributes and body, by a minimal scan (the DTD test covers well-formedness). */
function programmes(xml: string) {
  return [...xml.matchAll(/<programme start="([^"]+)" stop="([^"]+)" channel="([^"]+)">([\s\S]*?)<\/programme>/g)].map(
    (m) => ({ start: m[1]!, stop: m[2]!, channel: m[3]!, body: m[4]! }),
  );
}

describe('XMLTV', () => {
  it('validates against xmltv.dtd for several channels and days', async () => {
    const result = await validateAgainstDtd(renderAll());
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the validator rejects a document that breaks the DTD (element order, unknown element)', async () => {
    const xml = renderAll();
    // sub-title after desc violates the content model; so does an element the DTD does not declare.
    const misordered = xml.replace(/(<sub-title[^>]*>[^<]*<\/sub-title>)([\s\S]*?<\/desc>)/, '$2$1');
    expect(misordered).not.toBe(xml);
    expect((await validateAgainstDtd(misordered)).valid).toBe(false);
    expect((await validateAgainstDtd(xml.replace('<category', '<genre/><category'))).valid).toBe(false);
  });

  it("lists every item as a programme, fillers and slate included (a day's consecutive slate as one), tiling each day without gaps", () => {
    const xml = renderAll();
    const all = programmes(xml);
    const days = [...g3Days(), ...g8Days(), ...nyDays()];
    expect(all).toHaveLength(days.reduce((n, d) => n + mergeSlateRuns(d.items).length, 0));
    const g3 = all.filter((p) => p.channel === 'g3.aerial-classroom');
    for (let i = 1; i < g3.length; i++) expect(g3[i]!.start).toBe(g3[i - 1]!.stop);
    const eye = g3.find((p) => p.body.includes('眼保健操'))!;
    expect(eye.start).toBe('20260302082000 +0800');
    expect(eye.stop).toBe('20260302082500 +0800');
  });

  it('writes start/stop in +0800 for Shanghai channels', () => {
    const first = programmes(renderAll()).find(
      (p) => p.channel === 'g3.aerial-classroom' && p.body.includes('大青树下的小学'),
    )!;
    expect(first.start).toBe('20260302080000 +0800');
    expect(first.stop).toBe('20260302082000 +0800');
    // The after-midnight rerun of the 2nd's broadcast day is on the 3rd's calendar date.
    const lateRerun = programmes(renderAll()).filter(
      (p) => p.channel === 'g3.aerial-classroom' && p.body.includes('秒的认识'),
    );
    expect(lateRerun.map((p) => p.start)).toContain('20260303010000 +0800');
  });

  it('uses the offset in force at each instant on a DST channel (America/New_York, 2026-11-01)', () => {
    const ny = programmes(renderAll()).filter((p) => p.channel === 'ny7.aerial-classroom');
    const lessons = ny.filter((p) => p.body.includes('声的利用'));
    expect(lessons.map((p) => [p.start, p.stop])).toEqual([
      ['20261031080000 -0400', '20261031083000 -0400'],
      ['20261101080000 -0500', '20261101083000 -0500'],
    ]);
    // The slate across the fall-back: starts in EDT, ends in EST, and the 25 h day ends at 06:00 EST.
    const overnight = ny.find((p) => p.start === '20261031083000 -0400')!;
    expect(overnight.stop).toBe('20261101060000 -0500');
    expect(xmltvTime(Date.UTC(2026, 10, 1, 5, 59, 59), 'America/New_York')).toBe('20261101015959 -0400');
    expect(xmltvTime(Date.UTC(2026, 10, 1, 6, 0, 0), 'America/New_York')).toBe('20261101010000 -0500');
  });

  it('gives channels the M3U tvg-id, zh and en display names, an absolute icon', () => {
    const xml = renderAll();
    expect(xml).toContain(`<channel id="${xmltvChannelId('g3')}">`);
    expect(xml).toContain('<display-name lang="zh">空中课堂 三年级</display-name>');
    expect(xml).toContain('<display-name lang="en">Aerial Classroom Grade 3</display-name>');
    expect(xml).toContain(`<icon src="${BASE_URL}/static/logos/g3.png"/>`);
    expect(xml).toContain('<icon src="https://cdn.example.org/logos/ny7.png"/>');
    // Channels sorted by id, before all programmes.
    const ids = [...xml.matchAll(/<channel id="([^"]+)">/g)].map((m) => m[1]);
    expect(ids).toEqual(['g3.aerial-classroom', 'g8.aerial-classroom', 'ny7.aerial-classroom']);
    expect(xml.lastIndexOf('<channel ')).toBeLessThan(xml.indexOf('<programme '));
  });

  it('describes lessons: titles, unit sub-title, descriptions, category, episode numbers, subtitles, reruns', () => {
    const all = programmes(renderAll()).filter((p) => p.channel === 'g3.aerial-classroom');
    const firstRun = all.find((p) => p.start === '20260302080000 +0800')!.body;
    expect(firstRun).toContain('<title lang="zh">大青树下的小学</title>');
    expect(firstRun).toContain('<title lang="en">The School under the Big Banyan</title>');
    expect(firstRun).toContain('<sub-title lang="zh">学校生活</sub-title>');
    expect(firstRun).toContain('<sub-title lang="en">School life</sub-title>');
    expect(firstRun).toMatch(
      /<desc lang="zh">3年级语文，第1单元「学校生活」，第1课《大青树下的小学》，主讲：王老师<\/desc>/,
    );
    expect(firstRun).toContain('<desc lang="en">');
    expect(firstRun).toContain('<category lang="zh">语文</category>');
    expect(firstRun).toContain('<category lang="en">Chinese</category>');
    expect(firstRun).toContain('<episode-num system="onscreen">第1课</episode-num>');
    expect(firstRun).toContain('<episode-num system="xmltv_ns">0.0.</episode-num>');
    expect(firstRun).toContain('<subtitles type="teletext"><language>zh</language></subtitles>');
    expect(firstRun).not.toContain('previously-shown');

    const noCaptions = all.find((p) => p.body.includes('花的学校'))!.body;
    expect(noCaptions).not.toContain('<subtitles');

    const rerun = all.find((p) => p.start === '20260302140000 +0800')!.body;
    expect(rerun).toContain('<previously-shown start="20260302080000 +0800" channel="g3.aerial-classroom"/>');
    expect(rerun).toContain('（重播）');

    const filler = all.find((p) => p.body.includes('眼保健操'))!.body;
    expect(filler).not.toContain('episode-num');
    expect(xmltvEpisodeNumber({ volume: 2, lesson: 26 })).toBe('1.25.');
  });

  it('gives programmes of a lesson with a poster an absolute <icon> (after category, before episode-num)', () => {
    const icon = `<icon src="${BASE_URL}/media/cn-g3-v1-u1-l1.0123456789/poster/1280.jpg"/>`;
    const all = programmes(renderAll());
    const withIcon = all.filter((p) => p.body.includes('<icon'));
    expect(withIcon.length).toBeGreaterThan(0);
    for (const p of withIcon) {
      expect(p.body).toContain(icon);
      expect(p.body).toContain('大青树下的小学');
      const at = p.body.indexOf('<icon');
      expect(p.body.lastIndexOf('<category', at)).toBeGreaterThan(-1);
      expect(p.body.indexOf('<episode-num')).toBeGreaterThan(at);
    }
    // Every airing of that lesson has it; no other programme has an icon.
    expect(all.filter((p) => p.body.includes('大青树下的小学') && !p.body.includes(icon))).toEqual([]);
  });

  it('escapes markup in titles and attributes and drops characters XML cannot carry', async () => {
    const xml = renderAll();
    expect(xml).toContain('<title lang="zh">秒的认识 &lt;1&gt; &amp; &quot;练习&quot;</title>');
    expect(xml).not.toContain('<1>');
    expect(escapeXml("a\u0001b\uFFFEc & <d> 'e'")).toBe('abc &amp; &lt;d&gt; &apos;e&apos;');
    const hostile = renderXmltv({
      channels: [{ ...CHANNEL_G3, name: { zh: '</display-name><evil/>\u0007', en: 'A "quoted" & <b>' } }],
      days: g3Days(),
      lessons: LESSONS,
      generatedAt: GENERATED_AT,
      baseUrl: BASE_URL,
    });
    expect((await validateAgainstDtd(hostile)).valid).toBe(true);
  });

  it('is deterministic and ignores days of channels not listed', () => {
    expect(renderAll()).toBe(renderAll());
    const onlyG8 = renderXmltv({
      channels: [CHANNEL_G8],
      days: [...g3Days(), ...g8Days()],
      lessons: LESSONS,
      generatedAt: GENERATED_AT,
      baseUrl: BASE_URL,
    });
    expect(onlyG8).not.toContain('g3.aerial-classroom');
    expect(programmes(onlyG8)).toHaveLength(g8Days()[0]!.items.length);
    expect(onlyG8).toContain('<tv date="20260301120000 +0000"');
  });

  it('names an unknown time zone instead of writing wrong offsets', () => {
    expect(() =>
      renderXmltv({
        channels: [{ ...CHANNEL_G3, timezone: 'Mars/Olympus' }],
        days: g3Days(),
        lessons: LESSONS,
        generatedAt: GENERATED_AT,
        baseUrl: BASE_URL,
      }),
    ).toThrow(/Mars\/Olympus/);
  });
});

describe('local times (offset looked up once per quarter hour)', () => {
  it('xmltvTime and localIso agree with luxon in every zone kind, across DST changes', () => {
    const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'America/St_Johns', 'UTC'];
    // Every 7 min 13.5 s around Berlin's and New York's 2027 spring changes, and a spread over 2020–2030.
    const around = (iso: string) =>
      Array.from({ length: 200 }, (_, i) => Date.parse(iso) - 12 * 3_600_000 + i * 433_500);
    const instants = [
      ...around('2027-03-28T01:00:00Z'),
      ...around('2027-03-14T07:00:00Z'),
      ...around('2027-10-31T01:00:00Z'),
      ...Array.from({ length: 500 }, (_, i) => Date.UTC(2020, 0, 1) + i * 631_152_001),
    ];
    for (const zone of zones) {
      for (const ms of instants) {
        const reference = DateTime.fromMillis(ms, { zone });
        expect(xmltvTime(ms, zone), `${zone} ${ms}`).toBe(reference.toFormat('yyyyMMddHHmmss ZZZ'));
        expect(localIso(ms, zone), `${zone} ${ms}`).toBe(reference.toISO({ suppressMilliseconds: false }));
      }
    }
  });
});
