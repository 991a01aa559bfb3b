import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The service's logger: JSON lines (pino) through an asynchronous destination (sonic-boom, as
 * `pino.destination({ sync: false })`), with the lines of one event-loop turn handed to it as one string.
 * Under load a turn answers tens of requests: their log lines then cost the loop one serialisation and one
 * array push each, and the destination one write call per turn (sonic-boom measures and appends what it is
 * given, which per line is most of a log line's cost). Lines reach the destination at the end of the turn
 * that logged them; `logger.flush()` writes everything out (serve-command calls it before exiting).
 */
export function createServiceLogger(options: { dest: number | string; level?: string; name?: string }): Logger {
  return pino(
    { name: options.name ?? 'aerial', level: options.level ?? 'info' },
    batchPerTurn(pino.destination({ dest: options.dest, sync: false })),
  );
}

interface FlushableDestination extends DestinationStream {
  flush(callback: (error?: Error) => void): void;
  flushSync(): void;
}

/** A destination that gathers the lines written during one event-loop turn and passes them on together. */
export function batchPerTurn(destination: ReturnType<typeof pino.destination>): FlushableDestination {
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
      lines.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
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
