import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timetablePdfCommand } from '../../scheduler/cli/timetable-command.ts';
import { runAerialCli } from '../helpers/run-cli.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { createGuideStore } from '../../scheduler/guide/guide-store.ts';
import { launchChromium, pdfPages, renderTimetablePdf } from '../../scheduler/guide/timetable-pdf.ts';
import { weeklyTimetablePage } from '../../scheduler/guide/weekly-timetable.ts';
import { guideDataDir, GUIDE_WEEK, NOW_MS, SUSPENSION_NOTICE } from './guide-data-dir-fixtures.ts';
import type { TempDataDir } from './schedule-data-dir-fixtures.ts';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
/** A4 landscape in PDF points: 297 mm × 210 mm. */
const A4_LANDSCAPE = [841.89, 595.28];

let data: TempDataDir;
let browser: Browser;

beforeAll(async () => {
  data = guideDataDir();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  data?.close();
});

function expectOneA4LandscapePage(pdf: Buffer): void {
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pages = pdfPages(pdf);
  expect(pages).toHaveLength(1);
  const [x0, y0, x1, y1] = pages[0]!.mediaBox;
  expect(x1! - x0!).toBeCloseTo(A4_LANDSCAPE[0]!, 0);
  expect(y1! - y0!).toBeCloseTo(A4_LANDSCAPE[1]!, 0);
}

describe('printable timetable in Chromium', () => {
  it('a dense school week (rerun carousels all day) prints on exactly one A4 landscape page; screenshot saved', async () => {
    const store = createGuideStore(data.db, fixedClock(NOW_MS));
    const page = weeklyTimetablePage(store, 'g3', GUIDE_WEEK, NOW_MS);
    const html = await page.render();
    expect(html).toContain(SUSPENSION_NOTICE.zh);
    mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = join(ARTIFACTS, 'timetable-g3.png');
    const pdf = await renderTimetablePdf(html, { browser, screenshotPath: screenshot });
    expectOneA4LandscapePage(pdf);
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
  }, 120_000);

  it('the page counter is not fooled: the same page printed without fitting spills over several pages', async () => {
    const store = createGuideStore(data.db, fixedClock(NOW_MS));
    const html = await weeklyTimetablePage(store, 'g3', GUIDE_WEEK, NOW_MS).render();
    const page = await browser.newPage();
    try {
      await page.setContent(html);
      const unfitted = await page.pdf({ preferCSSPageSize: true });
      const pages = pdfPages(unfitted);
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.every((p) => Math.round(p.mediaBox[2]!) === 842)).toBe(true);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('`aerial timetable pdf` writes the PDF; bad arguments exit 2 naming the argument and write nothing', async () => {
    const out = join(data.dir, 'out', 'g4-week.pdf');
    const runCli = (args: string[]) => runAerialCli(['--data', data.dir, ...args]);

    const ok = await runCli(['timetable', 'pdf', '--channel', 'g4', '--week', GUIDE_WEEK, '--out', out]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('7 of 7 days published');
    expectOneA4LandscapePage(readFileSync(out));

    const bad: [string[], RegExp][] = [
      [['--channel', 'g9', '--week', GUIDE_WEEK, '--out', join(data.dir, 'x.pdf')], /--channel: unknown channel 'g9'/],
      [['--channel', 'g3', '--week', '2027-W60', '--out', join(data.dir, 'x.pdf')], /--week: must be an ISO week/],
      [['--channel', 'g3', '--out', join(data.dir, 'x.pdf')], /--week YYYY-Www is required/],
      [['--channel', 'g3', '--week', GUIDE_WEEK], /--out FILE is required/],
      [['--channel', 'g3', '--week', GUIDE_WEEK, '--out', join(data.dir, 'x.pdf'), '--colour'], /colour/],
    ];
    for (const [args, message] of bad) {
      const result = await runCli(['timetable', 'pdf', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(existsSync(join(data.dir, 'x.pdf'))).toBe(false);
    expect(timetablePdfCommand.usage).toContain('--week YYYY-Www');
  }, 120_000);
});
