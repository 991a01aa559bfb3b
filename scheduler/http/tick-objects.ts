import { createHook } from 'node:async_hooks';

/**
 * Keeps one of node's own `process.nextTick` objects alive for the life of the process, so that the hidden
 * classes (maps) of tick objects never die.
 *
 * Every `process.nextTick` makes a tick object at one object literal (node's internal/process/task_queues.js),
 * and V8 inlines nextTick into the optimised code of its callers (node's streams and HTTP server: endReadable,
 * onwrite, resOnFinish, …). Tick objects live for one turn: at a full collection when none is alive, their maps
 * (held only weakly by the literal's transitions and its feedback) are freed and the feedback of the literal's
 * property definitions is cleared until the next ticks relearn it. A caller optimised in that window defines
 * those properties through a runtime call instead of an inline store, for the rest of the process life (the
 * code is correct, so nothing deoptimises it): seen in the origin as ~15 % of its busy samples on the tick
 * literal and ~7 µs more CPU per request, in three bench starts of four (docs/benchmarks.md). One tick object
 * kept alive keeps its map, and with it the transitions and the feedback, alive.
 */
export function keepTickObjectMapsAlive(): void {
  if (kept !== undefined) return;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject' && kept === undefined) kept = resource;
    },
  }).enable();
  try {
    process.nextTick(noop, 0);
  } finally {
    hook.disable();
  }
}

/** The tick object kept (with its no-op callback and its one-element args array); exported for the test. */
export function keptTickObject(): object | undefined {
  return kept;
}

let kept: object | undefined;

function noop(): void {}
