/**
 * The service logger (scheduler/logger.ts) hands the lines of up to 50 ms to its asynchronous destination
 * together: every line still arrives, whole and in order, shortly after it was logged, after a flush, and
 * when the process exits in the very turn that logged. The hot path's request line (requestLog) is the line
 * pino writes for the same fields, byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import pino from 'pino';
import { createServiceLogger, requestLog } from '../../scheduler/logger.ts';

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

const flushed = (logger: pino.Logger) =>
  new Promise<void>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())));

it("writes the hot path's request line exactly as pino's logger.info does (bindings, escaping, level)", async () => {
  const file = join(dir, 'requests.jsonl');
  const root = createServiceLogger({ dest: file });
  const cases: [string, string, number, number, number][] = [
    ['GET', '/live/ch6/360p.m3u8', 200, 1819, 0.123],
    ['HEAD', '/media/a b/"q"\\x/课.ts', 206, 0, 12],
    ['GET', '/live/g3/master.m3u8', 304, 400, 1e-7],
  ];
  for (const logger of [root, root.child({ component: 'edge' })]) {
    const log = requestLog(logger);
    for (const [method, url, status, length, durationMs] of cases) {
      log(method, url, status, length, durationMs);
      logger.info({ method, url, status, length, durationMs }, 'request');
    }
  }
  root.level = 'warn';
  requestLog(root)('GET', '/below/the/level', 200, 1, 1);
  await flushed(root);
  await expect.poll(() => readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBe(12);
  const written = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const untimed = written.map((line) => line.replace(/,"time":\d+,/, ',"time":0,'));
  for (let i = 0; i < untimed.length; i += 2) expect(untimed[i]).toBe(untimed[i + 1]);
  expect(JSON.parse(written[2]!)).toMatchObject({ url: '/media/a b/"q"\\x/课.ts', status: 206, name: 'aerial' });
  expect(JSON.parse(written[6]!)).toMatchObject({ component: 'edge', durationMs: 0.123, msg: 'request' });
});

it('leaves a logger that would change the line (a mixin, a serializer) to logger.info itself', async () => {
  const lines: string[] = [];
  const sink = { write: (line: string) => lines.push(line) };
  const mixed = pino(
    { mixin: () => ({ region: 'sh' }), serializers: { url: (url: string) => url.toUpperCase() } },
    sink,
  );
  requestLog(mixed)('GET', '/live/ch1/360p.m3u8', 200, 5, 1);
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({ region: 'sh', url: '/LIVE/CH1/360P.M3U8', msg: 'request' });
});
