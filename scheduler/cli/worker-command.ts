import pino from 'pino';
import { UsageError } from '../errors.ts';
import { openObjectStore } from '../object-store/open-store.ts';
import { startWorker } from '../workers/worker.ts';
import { openWorkQueue } from '../workers/work-queue.ts';
import { parseOptions, parsePositiveInt, type Command } from './command.ts';
import {
  defaultWorkDir,
  defaultWorkerConcurrency,
  QUEUE_OPTIONS,
  QUEUE_USAGE,
  queueTiming,
  queueUrl,
} from './queue-options.ts';

const USAGE = `aerial worker --queue postgres://… --store DIR|s3://bucket/prefix [--concurrency N] [--work-dir DIR] ${QUEUE_USAGE}`;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Package jobs a control plane (serve --queue) sends through PostgreSQL; sources and media in the store',
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseOptions(
      args,
      { ...QUEUE_OPTIONS, concurrency: { type: 'string' }, 'work-dir': { type: 'string' } },
      USAGE,
    );
    const url = queueUrl(values.queue, USAGE);
    if (values.store === undefined) throw new UsageError(`missing --store (the control plane's)\nusage: ${USAGE}`);
    const store = openObjectStore(values.store, ctx.dataDir, ctx.env);
    const timing = queueTiming(values);
    const concurrency = values.concurrency
      ? parsePositiveInt(values.concurrency, '--concurrency')
      : defaultWorkerConcurrency();
    const logger = pino({ name: 'aerial-worker', level: ctx.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
    const queue = await openWorkQueue(url, timing, (error) => logger.error({ err: error.message }, 'queue error'));
    const worker = await startWorker({
      queue,
      store,
      concurrency,
      workDir: values['work-dir'] ?? defaultWorkDir(),
      logger,
    });
    ctx.stdout.write(`worker ${worker.name} taking packaging jobs (${concurrency} at a time) from the queue\n`);
    await new Promise<void>((resolve) => {
      const onSignal = () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    await worker.stop();
    await queue.stop();
    return 0;
  },
};
