/** Exponential backoff with full jitter, capped: attempt 0 → up to `baseMs`, doubling to `maxMs`. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  // Half fixed, half random: never hammer the origin in lockstep, never wait ~0 after an outage.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
