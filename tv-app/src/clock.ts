/**
 * The app's one clock. Pages and services read time through it; the modules they call (guide/, live/, state/)
 * take "now" as an argument and read no clock at all, so their unit tests choose the time.
 */
export interface Clock {
  /** Wall-clock time, ms since the epoch: what is airing, resume points, guide pages. */
  nowMs(): number;
  /** Monotonic time, ms: intervals between key presses (never jumps when the box sets its clock). */
  monotonicMs(): number;
}

export const clock: Clock = {
  nowMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};
