import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The service's logger: JSON lines (pino) through an asynchronous destination (sonic-boom, as
 * `pino.destination({ sync: false })`), with the lines of up to BATCH_MS handed to it as one string.
 * Under load the origin answers thousands of requests a second: their log lines then cost the loop one
 * serialisation and one array push each, and the destination one write every BATCH_MS (sonic-boom measures
 * and appends what it is given, and each of its writes is a call into the thread pool: per line, that was
 * most of a log line's cost). `logger.flush()` writes everything out (serve-command calls it before exiting),
 * and so does an exiting process.
 */
export function createServiceLogger(options: { dest: number | string; level?: string; name?: string }): Logger {
  return pino(
    { name: options.name ?? 'aerial', level: options.level ?? 'info' },
    batched(pino.destination({ dest: options.dest, sync: false })),
  );
}

interface FlushableDestination extends DestinationStream {
  flush(callback: (error?: Error) => void): void;
  flushSync(): void;
}

/** Longest a line waits before it is handed on (ms), and most lines gathered before that. */
const BATCH_MS = 50;
const BATCH_LINES = 1000;

/** A destination that gathers lines for up to BATCH_MS (or BATCH_LINES) and passes them on together. */
function batched(destination: ReturnType<typeof pino.destination>): FlushableDestination {
  let lines: string[] = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    if (lines.length === 0) return;
    const text = lines.length === 1 ? lines[0]! : lines.join('');
    lines = [];
    destination.write(text);
  };
  // A process that exits in the turn that logged still writes those lines (sonic-boom then writes synchronously).
  process.once('exit', () => {
    if (lines.length === 0) return;
    drain();
    destination.flushSync();
  });
  return {
    write(line: string) {
      if (lines.push(line) >= BATCH_LINES) drain();
      else if (!scheduled) {
        scheduled = true;
        setTimeout(drain, BATCH_MS).unref();
      }
    },
    flush(callback) {
      drain();
      destination.flush(callback);
    },
    flushSync() {
      drain();
      destination.flushSync();
    },
  };
}
