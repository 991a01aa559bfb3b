import pino, { type Logger } from 'pino';

/** Bytes of log lines gathered before one write; lines wait at most FLUSH_EVERY_MS. */
const BATCH_BYTES = 4096;
const FLUSH_EVERY_MS = 1000;

/**
 * The service's logger: JSON lines (pino) through an asynchronous destination that batches them, so a
 * request's log line costs the event loop a serialisation and a buffer append (microseconds), and the
 * writes (one per ~4 KB of lines) run off the loop. A line reaches `dest` within a second; call
 * `logger.flush()` before exiting (serve-command does).
 */
export function createServiceLogger(options: { dest: number | string; level?: string; name?: string }): Logger {
  return pino(
    { name: options.name ?? 'aerial', level: options.level ?? 'info' },
    pino.destination({ dest: options.dest, sync: false, minLength: BATCH_BYTES, periodicFlush: FLUSH_EVERY_MS }),
  );
}
