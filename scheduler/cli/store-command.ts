import { systemClock } from '../clock.ts';
import { collectStoreGarbage } from '../distribution/store-gc.ts';
import { UsageError } from '../errors.ts';
import { openObjectStore } from '../object-store/open-store.ts';
import { parseOptions, type Command } from './command.ts';

const USAGE = 'aerial store gc --older-than DURATION [--store DIR|s3://bucket/prefix] [--dry-run]';
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Edges poll every second and a guide request lasts seconds: a grace of less than a minute proves nothing. */
const MIN_GRACE_MS = 60_000;

/** `30m`, `12h`, `7d` → ms; at least a minute. */
function parseGrace(value: string): number {
  const match = /^([1-9]\d{0,5})([mhd])$/.exec(value);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
  if (!(ms >= MIN_GRACE_MS))
    throw new UsageError(`--older-than must be a duration of at least 1m such as 30m, 12h or 7d, got '${value}'`);
  return ms;
}

export const storeGcCommand: Command = {
  name: 'store gc',
  summary:
    'Delete superseded day versions from the store that no manifest has named for --older-than (a grace ' +
    'longer than any edge reads an older manifest); --dry-run lists them',
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseOptions(
      args,
      { 'older-than': { type: 'string' }, store: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      USAGE,
    );
    if (values['older-than'] === undefined) throw new UsageError(`--older-than is required\nusage: ${USAGE}`);
    const olderThanMs = parseGrace(values['older-than']);
    const store = openObjectStore(values.store, ctx.dataDir, ctx.env);
    const dryRun = values['dry-run'] ?? false;
    const report = await collectStoreGarbage(store, { olderThanMs, nowMs: systemClock(), dryRun });
    for (const key of report.collected) ctx.stdout.write(`${dryRun ? 'would delete' : 'deleted'} ${key}\n`);
    ctx.stdout.write(
      `${store.url}: ${report.collected.length} superseded day version(s) ${dryRun ? 'to delete' : 'deleted'}, ` +
        `${report.young.length} kept (superseded or written less than ${values['older-than']} ago), ` +
        `${report.named} named by the manifests` +
        (report.waiting.length
          ? `; channels published within the grace, left for later: ${report.waiting.join(' ')}`
          : '') +
        '\n',
    );
    return 0;
  },
};
