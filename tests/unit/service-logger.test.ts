/**
 * The service logger (scheduler/logger.ts) hands the lines of up to 50 ms to its asynchronous destination
 * together: every line still arrives, whole and in order, shortly after it was logged, after a flush, and
 * when the process exits in the very turn that logged.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServiceLogger } from '../../scheduler/logger.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aerial-logger-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { msg: string; i?: number; level: number; name: string });

it('writes every line of a turn, whole and in order, shortly after', async () => {
  const file = join(dir, 'log.jsonl');
  const logger = createServiceLogger({ dest: file });
  for (let i = 0; i < 500; i++) logger.info({ i, url: `/live/ch${i % 12}/360p.m3u8` }, 'request');
  logger.debug('below the level');
  await new Promise((resolve) => setImmediate(resolve));
  logger.warn('second turn: 课');
  await new Promise<void>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())));
  // The destination writes asynchronously: the lines arrive shortly after.
  await expect.poll(() => lines(file).length).toBe(501);
  const written = lines(file);
  expect(written).toHaveLength(501);
  expect(written.slice(0, 500).map((line) => line.i)).toEqual([...Array(500).keys()]);
  expect(written[500]).toMatchObject({ msg: 'second turn: 课', level: 40, name: 'aerial' });
});

it('still writes the lines of the turn in which the process exits', () => {
  const file = join(dir, 'exit.jsonl');
  const script = join(dir, 'exit.mts');
  const logger = fileURLToPath(new URL('../../scheduler/logger.ts', import.meta.url));
  writeFileSync(
    script,
    `import { createServiceLogger } from ${JSON.stringify(logger)};
const log = createServiceLogger({ dest: ${JSON.stringify(file)} });
log.info({ i: -1 }, 'started');
// Once the destination is open (it opens asynchronously), three lines and an exit in one turn.
setTimeout(() => {
  for (let i = 0; i < 3; i++) log.info({ i }, 'before exit');
  process.exit(0);
}, 300);
`,
  );
  const runTs = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
  const run = spawnSync(process.execPath, [runTs, script], { encoding: 'utf8', timeout: 30_000 });
  expect(run.status, run.stderr).toBe(0);
  expect(lines(file).map((line) => line.i)).toEqual([-1, 0, 1, 2]);
});
