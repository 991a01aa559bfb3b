import { resolve } from 'node:path';
import { exportCatalogJson, importCatalogFile, writeFileAtomically } from '../catalog/catalog-import.ts';
import { parseOptions, requirePositional, type Command, withDb } from './command.ts';

const importUsage = 'aerial catalog import FILE   (CSV with a header row, or JSON)';

export const catalogImportCommand: Command = {
  name: 'catalog import',
  summary: 'Import lessons from a CSV or JSON file (all-or-nothing; upsert by id)',
  usage: importUsage,
  async run(args, ctx) {
    const { positionals } = parseOptions(args, {}, importUsage, 1);
    const file = requirePositional(positionals, 0, 'FILE', importUsage);
    return withDb(ctx.dataDir, async (db) => {
      const report = importCatalogFile(db, resolve(file), file);
      const reset = report.packagingReset.length
        ? ` (${report.packagingReset.length} with a new source, back to registered for packaging: ${report.packagingReset.join(', ')})`
        : '';
      ctx.stdout.write(
        `${report.file}: ${report.lessons} lessons — ${report.added.length} added, ${report.updated.length} updated${reset}, ${report.unchanged.length} unchanged\n`,
      );
      return 0;
    });
  },
};

const exportUsage = 'aerial catalog export [--out FILE]';

export const catalogExportCommand: Command = {
  name: 'catalog export',
  summary: 'Write the catalog as JSON in textbook order (stdout, or --out FILE); it imports back identically',
  usage: exportUsage,
  async run(args, ctx) {
    const { values } = parseOptions(args, { out: { type: 'string' } }, exportUsage);
    return withDb(ctx.dataDir, async (db) => {
      const json = exportCatalogJson(db);
      if (values.out) writeFileAtomically(resolve(values.out), json);
      else ctx.stdout.write(json);
      return 0;
    });
  },
};
