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

/** Writes one request's log line: method, url, status, bytes, duration (ms, as the request logging middleware). */
export type RequestLog = (method: string, url: string, status: number, length: number, durationMs: number) => void;

const {
  chindingsSym,
  endSym,
  formattersSym,
  hooksSym,
  lsCacheSym,
  messageKeySym,
  mixinSym,
  msgPrefixSym,
  needsMetadataGsym,
  nestedKeySym,
  serializersSym,
  stringifiersSym,
  streamSym,
  timeSym,
} = pino.symbols as unknown as Record<PinoSymbol, symbol>;
type PinoSymbol =
  | 'chindingsSym'
  | 'endSym'
  | 'formattersSym'
  | 'hooksSym'
  | 'lsCacheSym'
  | 'messageKeySym'
  | 'mixinSym'
  | 'msgPrefixSym'
  | 'needsMetadataGsym'
  | 'nestedKeySym'
  | 'serializersSym'
  | 'stringifiersSym'
  | 'streamSym'
  | 'timeSym';
const REQUEST_KEYS = ['method', 'url', 'status', 'length', 'durationMs'] as const;

/**
 * `logger.info({ method, url, status, length, durationMs }, 'request')`, the same line byte for byte, built
 * as one template string from pino's own parts (its level and time prefix, the logger's bindings, its end)
 * and written to the logger's own destination: the hot path logs every answer, and pino's generic
 * serialisation (a loop over the object's keys, escaping each string) was most of a request's logging cost.
 * A logger that would change the line (serializers or a formatter for these keys, a mixin, hooks, a message
 * prefix, redaction, a destination that wants the line's metadata) gets `logger.info` itself.
 */
export function requestLog(logger: Logger): RequestLog {
  const slow: RequestLog = (method, url, status, length, durationMs) =>
    logger.info({ method, url, status, length, durationMs }, 'request');
  const internals = logger as unknown as Record<symbol, unknown>;
  const formatters = internals[formattersSym] as { log?: unknown } | undefined;
  const hooks = internals[hooksSym] as { logMethod?: unknown; streamWrite?: unknown } | undefined;
  const serializers = (internals[serializersSym] ?? {}) as Record<string, unknown>;
  const stringifiers = (internals[stringifiersSym] ?? {}) as Record<string | symbol, unknown>;
  const stream = internals[streamSym] as { write(line: string): void; [needsMetadataGsym]?: boolean } | undefined;
  const levelCache = internals[lsCacheSym] as Record<number, string> | undefined;
  const time = internals[timeSym] as (() => string) | undefined;
  const plain =
    stream !== undefined &&
    stream[needsMetadataGsym] !== true &&
    typeof levelCache?.[30] === 'string' &&
    typeof time === 'function' &&
    formatters?.log === undefined &&
    hooks?.logMethod === undefined &&
    hooks?.streamWrite === undefined &&
    !internals[mixinSym] &&
    !internals[msgPrefixSym] &&
    !internals[nestedKeySym] &&
    internals[messageKeySym] === 'msg' &&
    Reflect.ownKeys(stringifiers).length === 0 &&
    REQUEST_KEYS.every((key) => serializers[key] === undefined) &&
    logger.levels.values.info === 30;
  if (!plain) return slow;
  const level = levelCache[30]!;
  const end = `,"msg":"request"${internals[endSym] as string}`;
  return (method, url, status, length, durationMs) => {
    if (logger.levelVal > 30) return;
    // Bindings are read per line: a child logger's (or setBindings') are the logger's current ones.
    stream.write(
      `${level}${time.call(logger)}${internals[chindingsSym] as string},"method":${JSON.stringify(method)},` +
        `"url":${JSON.stringify(url)},"status":${status},"length":${length},"durationMs":${durationMs}${end}`,
    );
  };
}
