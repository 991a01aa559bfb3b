import { createServiceLogger } from '../logger.ts';
import { loadCatalogView } from '../catalog/catalog-view.ts';
import { startEdgeService } from '../edge-service.ts';
import { openObjectStore } from '../object-store/open-store.ts';
import { closeOnSignals, startService } from '../service.ts';
import { parseOptions, type Command } from './command.ts';
import { UsageError } from '../errors.ts';
import { QUEUE_OPTIONS, QUEUE_USAGE, queueTiming, queueUrl } from './queue-options.ts';

const USAGE =
  'aerial serve [--port 8080] [--host 0.0.0.0] [--public-url URL] [--store DIR|s3://bucket/prefix] ' +
  `[--edge [--poll-ms 1000]] [--queue postgres://… ${QUEUE_USAGE}]`;
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

/** `--poll-ms`: how often an edge origin looks at the store's index, 100..60000 ms. */
function parsePollMs(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 100 || Number(value) > 60_000) {
    throw new UsageError(`--poll-ms must be a whole number of milliseconds 100..60000, got '${value}'`);
  }
  return Number(value);
}

export const serveCommand: Command = {
  name: 'serve',
  summary:
    'Serve the live channels, on-demand lessons, guides and the TV app (runs the nightly schedule jobs too; ' +
    'publishes to --store); with --edge, an edge origin serving from the store alone',
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseOptions(
      args,
      {
        port: { type: 'string' },
        host: { type: 'string' },
        'public-url': { type: 'string' },
        edge: { type: 'boolean' },
        'poll-ms': { type: 'string' },
        ...QUEUE_OPTIONS,
      },
      USAGE,
    );
    const edge = values.edge ?? false;
    if (edge && values.store === undefined)
      throw new UsageError(`--edge needs --store (the control plane's)\nusage: ${USAGE}`);
    if (edge && values.queue !== undefined)
      throw new UsageError(`--queue is for the control plane, not --edge\nusage: ${USAGE}`);
    if (!edge && values['poll-ms'] !== undefined) throw new UsageError(`--poll-ms is for --edge\nusage: ${USAGE}`);
    const pollMs = values['poll-ms'] === undefined ? undefined : parsePollMs(values['poll-ms']);
    const store = openObjectStore(values.store, ctx.dataDir, ctx.env);
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
    if (edge) {
      const running = await startEdgeService({
        store,
        port,
        ...(values.host ? { host: values.host } : {}),
        ...(publicBaseUrl ? { publicBaseUrl } : {}),
        ...(pollMs ? { pollMs } : {}),
        logger,
        announce: (line) => ctx.stdout.write(`${line}\n`),
      });
      await closeOnSignals(running, logger);
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
      return 0;
    }
    // With --queue, packaging jobs go to `aerial worker` processes; their sources go through the store.
    const workQueue =
      values.queue === undefined
        ? undefined
        : {
            url: queueUrl(values.queue, USAGE),
            store,
            timing: queueTiming(values),
          };
    const service = await startService({
      store,
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
