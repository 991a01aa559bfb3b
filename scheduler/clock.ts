/**
 * The service's notion of "now": UTC epoch milliseconds. Everything that depends on the time takes a
 * Clock so tests can run the origin at a chosen instant (or at real speed from one) instead of the wall clock.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock frozen at `atMs` until moved: tests step simulated time explicitly. */
export function fixedClock(atMs: number): Clock & { set(ms: number): void; advance(ms: number): void } {
  let now = atMs;
  const clock = (() => now) as Clock & { set(ms: number): void; advance(ms: number): void };
  clock.set = (ms) => {
    now = ms;
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

/** A clock that runs at real speed but reads `startMs` at the moment it is created. */
export function shiftedClock(startMs: number, base: Clock = systemClock): Clock {
  const offset = startMs - base();
  return () => base() + offset;
}
