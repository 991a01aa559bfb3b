import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../errors.ts';
import { importChannelDocument, listChannels, type ImportSummary } from '../schedule/channels-repository.ts';
import { parseJsonText } from '../json-document.ts';
import { parseOptions, requirePositional, type Command, withDb } from './command.ts';

function readDocumentFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function summaryLine(summary: ImportSummary): string {
  const part = (name: string, c: { added: number; updated: number }) =>
    `${name} ${c.added} added, ${c.updated} updated`;
  return [
    part('channels', summary.channels),
    part('calendars', summary.calendars),
    part('suspensions', summary.suspensions),
    part('overrides', summary.overrides),
  ].join('; ');
}

const importUsage = 'aerial channels import FILE';

export const channelsImportCommand: Command = {
  name: 'channels import',
  summary: 'Import channels, timetables, calendars, suspensions and overrides from one JSON document (all or nothing)',
  usage: importUsage,
  async run(args, ctx) {
    const { positionals } = parseOptions(args, {}, importUsage, 1);
    const file = requirePositional(positionals, 0, 'FILE', importUsage);
    const text = readDocumentFile(file);
    const input = parseJsonText(text, basename(file));
    return withDb(ctx.dataDir, async (db) => {
      const { summary } = importChannelDocument(db, input, basename(file));
      ctx.stdout.write(`imported ${basename(file)}: ${summaryLine(summary)}\n`);
      return 0;
    });
  },
};

const listUsage = 'aerial channels list [--json]';

export const channelsListCommand: Command = {
  name: 'channels list',
  summary: 'List the stored channels',
  usage: listUsage,
  async run(args, ctx) {
    const { values } = parseOptions(args, { json: { type: 'boolean' } }, listUsage);
    return withDb(ctx.dataDir, async (db) => {
      const channels = listChannels(db);
      if (values.json) {
        ctx.stdout.write(`${JSON.stringify(channels, null, 2)}\n`);
        return 0;
      }
      if (channels.length === 0) {
        ctx.stdout.write('no channels (import some with: aerial channels import FILE)\n');
        return 0;
      }
      for (const c of channels) {
        const timetables = Object.keys(c.timetables).sort().join(',');
        ctx.stdout.write(
          `${String(c.number).padStart(4)}  ${c.id.padEnd(12)} ${c.name.zh}${c.name.en ? ` / ${c.name.en}` : ''}  ${c.timezone} day from ${c.dayStart}  grades ${c.grades.join(',')}  regions ${c.regions.join(',') || '-'}  timetables ${timetables}\n`,
        );
      }
      return 0;
    });
  },
};
