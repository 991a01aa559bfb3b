/**
 * One screen at a time may hold unsaved edits (the timetable editor). While it does, it registers a guard here;
 * app-level ways out that are not links (signing out) go through `leaveThen`, which lets the guard ask first.
 */
type Guard = (go: () => void) => void;

let current: Guard | undefined;

/** Registers the guard (or clears it with undefined); returns a function that clears it if still this one. */
export function setLeaveGuard(guard: Guard | undefined): () => void {
  current = guard;
  return () => {
    if (current === guard) current = undefined;
  };
}

/** Runs `go` now, or hands it to the registered guard, which runs it once the broadcaster agrees. */
export function leaveThen(go: () => void): void {
  if (current) current(go);
  else go();
}
