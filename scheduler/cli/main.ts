import { resolve } from 'node:path';
import { InputError, NotFoundError, UsageError } from '../errors.ts';
import type { CliContext, Command } from './command.ts';
import { commands } from './commands.ts';

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_BAD_INPUT = 2;

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: aerial [--data DIR] <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Data directory: --data DIR, else $AERIAL_DATA_DIR, else ./data',
    'Exit codes: 0 ok, 1 failure, 2 bad input or usage',
  ].join('\n');
}

/** Pulls the global `--data DIR` (anywhere on the line) out of argv. */
function extractDataDir(argv: string[], env: NodeJS.ProcessEnv): { dataDir: string; rest: string[] } {
  const rest: string[] = [];
  let dataDir = env.AERIAL_DATA_DIR || './data';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data') {
      const value = argv[++i];
      if (!value) throw new UsageError('--data needs a directory');
      dataDir = value;
    } else if (arg.startsWith('--data=')) {
      dataDir = arg.slice('--data='.length);
    } else {
      rest.push(arg);
    }
  }
  return { dataDir: resolve(dataDir), rest };
}

/** Longest command name matching the leading words wins (`catalog import` before `catalog`). */
function findCommand(words: string[]): { command: Command; args: string[] } | undefined {
  let best: { command: Command; args: string[] } | undefined;
  for (const command of commands) {
    const parts = command.name.split(' ');
    if (parts.every((p, i) => words[i] === p) && (!best || parts.length > best.command.name.split(' ').length)) {
      best = { command, args: words.slice(parts.length) };
    }
  }
  return best;
}

export async function main(argv: string[], io: Partial<CliContext> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  try {
    const { dataDir, rest } = extractDataDir(argv, env);
    if (rest.length === 0 || rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help') {
      (rest.length === 0 ? stderr : stdout).write(`${helpText()}\n`);
      return rest.length === 0 ? EXIT_BAD_INPUT : EXIT_OK;
    }
    const found = findCommand(rest);
    if (!found) throw new UsageError(`unknown command '${rest.join(' ')}'\n\n${helpText()}`);
    if (found.args.includes('--help') || found.args.includes('-h')) {
      stdout.write(`usage: ${found.command.usage}\n${found.command.summary}\n`);
      return EXIT_OK;
    }
    return await found.command.run(found.args, { dataDir, stdout, stderr, env });
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError || error instanceof NotFoundError) {
      stderr.write(`aerial: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    stderr.write(`aerial: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}
