import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { createGuideRenderings, type GuideRenderings } from '../../scheduler/guide/guide-renderings.ts';
import { createGuideStore, type GuideStore } from '../../scheduler/guide/guide-store.ts';
import { xmltvDay, xmltvProgrammes } from '../../playlists/xmltv.ts';
import { guideDataDir, NOW_MS } from './guide-data-dir-fixtures.ts';
import type { TempDataDir } from './schedule-data-dir-fixtures.ts';

/**
 * XMLTV channel-days through the rendered-piece cache: a request keeps newly rendered days while its allowance
 * lasts and streams the rest, kept nowhere; either way the bytes are the programmes playlists/xmltv.ts renders.
 */

const BASE = 'https://guide.example/tv/';

let data: TempDataDir;
let store: GuideStore;

beforeAll(() => {
  data = guideDataDir();
  store = createGuideStore(data.db, fixedClock(NOW_MS));
});

afterAll(() => data?.close());

/** Every published day of g3, each as the bytes the renderings yield, with one allowance for them all. */
async function renderAll(renderings: GuideRenderings): Promise<string[]> {
  const channel = store.channel('g3')!.guide;
  const catalog = store.catalogState().fingerprint;
  const allowance = renderings.xmltvAllowance();
  const days: string[] = [];
  for (const key of store.dayKeys('g3', 0, Number.MAX_SAFE_INTEGER)) {
    const blocks: Buffer[] = [];
    for await (const block of renderings.xmltvDay(channel, key, catalog, BASE, allowance)) blocks.push(block);
    days.push(Buffer.concat(blocks).toString('utf8'));
  }
  return days;
}

describe('XMLTV channel-days', () => {
  it('are the days’ programmes with the base URL put in, whether kept or streamed past the allowance', async () => {
    const channel = store.channel('g3')!.guide;
    const keys = store.dayKeys('g3', 0, Number.MAX_SAFE_INTEGER);
    expect(keys.length).toBeGreaterThan(5);
    const expected = keys.map((key) => {
      const snapshot = store.snapshot(key);
      return xmltvProgrammes(xmltvDay(channel, snapshot, 'https://guide.example/tv'), store.lessonsOf([snapshot]));
    });
    expect(expected.join('')).toContain('<programme ');

    let rendered = 0;
    // The first two days' worth: they are kept, the rest streamed.
    const twoDays = Buffer.byteLength(expected[0]!) + Buffer.byteLength(expected[1]!) + 1;
    const renderings = createGuideRenderings(store, () => rendered++, twoDays);
    expect(await renderAll(renderings)).toEqual(expected);
    expect(rendered).toBe(keys.length);

    // The same request again: the kept days come from the cache, only the streamed ones are rendered again.
    rendered = 0;
    expect(await renderAll(renderings)).toEqual(expected);
    expect(rendered).toBe(keys.length - 2);

    // With room for every day, the second time renders nothing.
    rendered = 0;
    const roomy = createGuideRenderings(store, () => rendered++);
    await renderAll(roomy);
    expect(rendered).toBe(keys.length);
    rendered = 0;
    expect(await renderAll(roomy)).toEqual(expected);
    expect(rendered).toBe(0);
  });
});

describe('day notices (/api/notices)', () => {
  it('are each day’s suspension notice, read without parsing any day’s programmes', async () => {
    // A fresh store (nothing parsed yet) that counts the days it parses.
    const fresh = createGuideStore(data.db, fixedClock(NOW_MS));
    let parsed = 0;
    const counting: GuideStore = {
      ...fresh,
      snapshot: (key) => (parsed++, fresh.snapshot(key)),
      snapshotInSteps: (key, step) => (parsed++, fresh.snapshotInSteps(key, step)),
      snapshots: (keys) => ((parsed += keys.length), fresh.snapshots(keys)),
    };
    const renderings = createGuideRenderings(counting);
    const keys = fresh.channels().flatMap((c) => fresh.dayKeys(c.guide.id, 0, Number.MAX_SAFE_INTEGER));
    const notices = await Promise.all(keys.map((key) => renderings.dayNotice(key)));
    expect(parsed).toBe(0);

    expect(notices).toEqual(
      keys.map((key) => {
        const { channelId, date, endMs, notice } = store.snapshot(key);
        return notice ? { channelId, date, endMs, notice } : { channelId, date, endMs };
      }),
    );
    // The fixture's closure of g3 on 25–26 March is among them.
    expect(notices.filter((n) => n.notice).map((n) => [n.channelId, n.date])).toEqual([
      ['g3', '2027-03-25'],
      ['g3', '2027-03-26'],
    ]);
  });
});
