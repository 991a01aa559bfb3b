import { createServiceLogger } from '../logger.ts';
import { loadCatalogView } from '../catalog/catalog-view.ts';
import { closeOnSignals, startService } from '../service.ts';
import { parseOptions, type Command } from './command.ts';
import { UsageError } from '../errors.ts';
import { openObjectStore } from '../object-store/open-store.ts';
import { QUEUE_OPTIONS, QUEUE_USAGE, queueTiming, queueUrl } from './queue-options.ts';

const USAGE = `aerial serve [--port 8080] [--host 0.0.0.0] [--public-url URL] [--queue postgres://… --store DIR|s3://… ${QUEUE_USAGE}]`;
const DEFAULT_PORT = 8080;

/** `--port`, else `PORT`, else 8080; 0 picks a free port. */
export function resolvePort(option: string | undefined, env: NodeJS.ProcessEnv): number {
  const [value, source] =
    option !== undefined ? [option, '--port'] : env.PORT ? [env.PORT, 'PORT'] : [String(DEFAULT_PORT), 'default'];
  if (!/^\d+$/.test(value) || Number(value) > 65_535) {
    throw new UsageError(`${source} must be a port number 0..65535, got '${value}'`);
  }
  return Number(value);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the live channels, on-demand lessons, guides and the TV app (runs the nightly schedule jobs too)',
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseOptions(
      args,
      { port: { type: 'string' }, host: { type: 'string' }, 'public-url': { type: 'string' }, ...QUEUE_OPTIONS },
      USAGE,
    );
    const port = resolvePort(values.port, ctx.env);
    const publicBaseUrl = values['public-url'] ?? ctx.env.AERIAL_PUBLIC_URL;
    if (publicBaseUrl !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(publicBaseUrl)) {
      throw new UsageError(`--public-url must be an http(s) URL, got '${publicBaseUrl}'`);
    }
    const maxUpload = ctx.env.AERIAL_MAX_UPLOAD_BYTES;
    if (maxUpload !== undefined && !/^[1-9]\d{0,15}$/.test(maxUpload))
      throw new UsageError(`AERIAL_MAX_UPLOAD_BYTES must be a whole number of bytes, got '${maxUpload}'`);
    // Asynchronous, batched destination: a request's log line costs the event loop microseconds.
    const logger = createServiceLogger({ dest: 1, level: ctx.env.LOG_LEVEL ?? 'info' });
    // With --queue, packaging jobs go to `aerial worker` processes; their sources go through the store.
    const workQueue =
      values.queue === undefined
        ? undefined
        : {
            url: queueUrl(values.queue, USAGE),
            store: openObjectStore(values.store, ctx.dataDir, ctx.env),
            timing: queueTiming(values),
          };
    const service = await startService({
      ...(workQueue ? { workQueue } : {}),
      ...(maxUpload ? { maxUploadBytes: Number(maxUpload) } : {}),
      dataDir: ctx.dataDir,
      port,
      ...(values.host ? { host: values.host } : {}),
      ...(publicBaseUrl ? { publicBaseUrl } : {}),
      logger,
      loadCatalog: loadCatalogView,
      announce: (line) => ctx.stdout.write(`${line}\n`),
    });
    await closeOnSignals(service, logger);
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    return 0;
  },
};
