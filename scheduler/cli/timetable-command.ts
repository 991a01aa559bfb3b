import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { createGuideStore } from '../guide/guide-store.ts';
import { renderTimetablePdf } from '../guide/timetable-pdf.ts';
import { weeklyTimetablePage } from '../guide/weekly-timetable.ts';
import { openDb } from '../store/db.ts';
import { parseOptions, type Command } from './command.ts';

const usage = 'aerial timetable pdf --channel ID --week YYYY-Www --out FILE';

/**
 * `aerial timetable pdf`: the printable weekly timetable of a channel (what /timetable/:channel shows) as an A4
 * landscape PDF.
 */
export const timetablePdfCommand: Command = {
  name: 'timetable pdf',
  summary: 'Render a channel’s printable weekly timetable to a one-page A4 landscape PDF (headless Chromium)',
  usage,
  async run(args, ctx) {
    const { values } = parseOptions(
      args,
      { channel: { type: 'string' }, week: { type: 'string' }, out: { type: 'string' } },
      usage,
    );
    if (values.channel === undefined) throw new UsageError(`--channel ID is required\nusage: ${usage}`);
    if (values.week === undefined) throw new UsageError(`--week YYYY-Www is required\nusage: ${usage}`);
    if (values.out === undefined || values.out === '') throw new UsageError(`--out FILE is required\nusage: ${usage}`);
    if (!/\.pdf$/i.test(values.out)) throw new UsageError(`--out: '${values.out}' should name a .pdf file`);
    const out = resolve(values.out);

    const db = openDb(ctx.dataDir);
    let html: string;
    try {
      const store = createGuideStore(db, Date.now);
      if (!store.channel(values.channel)) {
        const known = store.channels().map((c) => c.guide.id);
        throw new UsageError(
          `--channel: unknown channel '${values.channel}'${known.length ? ` (known: ${known.join(', ')})` : ' (no channels imported)'}`,
        );
      }
      let page;
      try {
        page = weeklyTimetablePage(store, values.channel, values.week, Date.now(), '--week');
      } catch (error) {
        if (error instanceof Error && error.name === 'InputError')
          throw new UsageError(`--week: ${(error as Error & { problems: { reason: string }[] }).problems[0]!.reason}`);
        throw error;
      }
      html = await page.render();
      ctx.stdout.write(
        `${values.channel} ${page.week}: ${page.dayKeys.length} of 7 days published${page.notice ? `; notice: ${page.notice.zh}` : ''}\n`,
      );
    } finally {
      db.close();
    }

    const pdf = await renderTimetablePdf(html);
    // Written next to the target and renamed: a failed run never leaves half a PDF under the name.
    mkdirSync(dirname(out), { recursive: true });
    const partial = `${out}.partial`;
    writeFileSync(partial, pdf);
    renameSync(partial, out);
    ctx.stdout.write(`wrote ${out} (${pdf.length} bytes, A4 landscape, 1 page)\n`);
    return 0;
  },
};
