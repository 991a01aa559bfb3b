import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { DEFAULT_TIMING, type QueueTiming } from '../workers/work-queue.ts';
import { parsePositiveInt } from './command.ts';

/** Options shared by `aerial serve --queue` and `aerial worker`: where the queue is and its timing. */
export const QUEUE_OPTIONS = {
  queue: { type: 'string' },
  store: { type: 'string' },
  'lock-seconds': { type: 'string' },
  retries: { type: 'string' },
  'retry-delay': { type: 'string' },
} as const;

export const QUEUE_USAGE = '[--lock-seconds 7200] [--retries 2] [--retry-delay 30]';

interface QueueValues {
  queue?: string | undefined;
  'lock-seconds'?: string | undefined;
  retries?: string | undefined;
  'retry-delay'?: string | undefined;
}

/** `--queue` must name a PostgreSQL server. */
export function queueUrl(value: string | undefined, usage: string): string {
  if (value === undefined) throw new UsageError(`missing --queue postgres://…\nusage: ${usage}`);
  if (!/^postgres(ql)?:\/\/\S+$/.test(value)) throw new UsageError(`--queue must be a postgres:// URL, got '${value}'`);
  return value;
}

/**
 * The queue's timing from the options: the lock is how long an order may run before it is taken to be abandoned
 * (and offered to another worker), so it must exceed the longest packaging; expired orders are looked for every
 * quarter lock (at most every 30 s).
 */
export function queueTiming(values: QueueValues): QueueTiming {
  const lockSeconds = values['lock-seconds'] ? parsePositiveInt(values['lock-seconds'], '--lock-seconds') : undefined;
  const retries = values.retries;
  if (retries !== undefined && !/^\d{1,2}$/.test(retries))
    throw new UsageError(`--retries must be a whole number 0..99, got '${retries}'`);
  const lock = lockSeconds ?? DEFAULT_TIMING.lockSeconds;
  return {
    ...DEFAULT_TIMING,
    lockSeconds: lock,
    maintenanceSeconds: Math.min(DEFAULT_TIMING.maintenanceSeconds, Math.max(1, Math.floor(lock / 4))),
    ...(retries !== undefined ? { retryLimit: Number(retries) } : {}),
    ...(values['retry-delay'] ? { retryDelaySeconds: parsePositiveInt(values['retry-delay'], '--retry-delay') } : {}),
  };
}

export const defaultWorkDir = () => join(tmpdir(), 'aerial-worker');
export const defaultWorkerConcurrency = () => Math.max(1, Math.floor(availableParallelism() / 2));
