import type { Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { openDb, type Db } from '../store/db.ts';

export interface CliContext {
  /** Data directory: `--data DIR`, else `AERIAL_DATA_DIR`, else `./data`. */
  dataDir: string;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

export interface Command {
  /** Words that select the command, e.g. `catalog import`. */
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code: 0 ok, 1 failure. Throw InputError/UsageError for exit 2. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict option parsing that reports mistakes as usage errors (exit 2) naming the offending option. */
export function parseOptions<O extends Options>(args: string[], options: O, usage: string, allowPositionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: allowPositionals > 0 });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${usage}`);
  }
  if (parsed.positionals.length > allowPositionals) {
    throw new UsageError(`unexpected argument '${parsed.positionals[allowPositionals]}'\nusage: ${usage}`);
  }
  return parsed;
}

export function requirePositional(positionals: string[], index: number, what: string, usage: string): string {
  const value = positionals[index];
  if (!value) throw new UsageError(`missing ${what}\nusage: ${usage}`);
  return value;
}

export function parsePositiveInt(value: string, option: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${option} must be a positive whole number, got '${value}'`);
  }
  return Number(value);
}

/** Runs `use` with the data directory's database open, and closes it however `use` ends. */
export async function withDb<T>(dataDir: string, use: (db: Db) => T | Promise<T>): Promise<T> {
  const db = openDb(dataDir);
  try {
    return await use(db);
  } finally {
    db.close();
  }
}
