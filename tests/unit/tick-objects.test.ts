/**
 * keepTickObjectMapsAlive (scheduler/http/tick-objects.ts) keeps one of node's own tick objects alive: tick
 * objects made after full collections (when no other tick object was alive) still have its map, so V8 keeps
 * the map, and the tick literal's feedback that refers to it, for good. Checked in a child process with V8's
 * own %HaveSameMap and forced full collections.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keepTickObjectMapsAlive, keptTickObject } from '../../scheduler/http/tick-objects.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aerial-ticks-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("keeps a tick object whose map is still the tick objects' map after full collections", () => {
  const script = join(dir, 'ticks.mts');
  const module = fileURLToPath(new URL('../../scheduler/http/tick-objects.ts', import.meta.url));
  writeFileSync(
    script,
    `import { createHook } from 'node:async_hooks';
import { keepTickObjectMapsAlive, keptTickObject } from ${JSON.stringify(module)};
keepTickObjectMapsAlive();
keepTickObjectMapsAlive();
const kept = keptTickObject();
for (let i = 0; i < 3; i++) {
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.gc();
}
let fresh;
const hook = createHook({ init(_id, type, _trigger, resource) { if (type === 'TickObject') fresh ??= resource; } });
hook.enable();
process.nextTick(() => {}, 1);
hook.disable();
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
console.log(JSON.stringify({ kept: typeof kept?.callback, sameMap: kept !== undefined && sameMap(kept, fresh) }));
`,
  );
  const runTs = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
  const run = spawnSync(process.execPath, ['--expose-gc', '--allow-natives-syntax', runTs, script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout.trim())).toEqual({ kept: 'function', sameMap: true });
});

it('keeps one tick object (its callback and args), the same one on every call', () => {
  keepTickObjectMapsAlive();
  const kept = keptTickObject() as { callback?: unknown; args?: unknown } | undefined;
  expect(typeof kept?.callback).toBe('function');
  expect(kept?.args).toEqual([0]);
  keepTickObjectMapsAlive();
  expect(keptTickObject()).toBe(kept);
});
