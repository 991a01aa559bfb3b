import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import { systemClock, type Clock } from './clock.ts';
import { createPublishedStoreReader, type PublishedStoreReader } from './distribution/store-reader.ts';
import { createEdgeApp } from './http/edge-app.ts';
import type { ObjectStore } from './object-store/object-store.ts';
import { closeServer, listen, serviceUrl } from './service.ts';

export interface EdgeServiceOptions {
  store: ObjectStore;
  port: number;
  host?: string;
  clock?: Clock;
  logger?: Logger;
  publicBaseUrl?: string;
  /** How often the store's index is looked at (ms; default 1000). */
  pollMs?: number;
  announce?: (line: string) => void;
}

export interface RunningEdge {
  url: string;
  server: Server;
  reader: PublishedStoreReader;
  close(): Promise<void>;
}

/**
 * `aerial serve --edge --store URL`: an edge origin. It reads the published state from the store (a first read
 * before it listens, so it answers at once when the control plane has published), then polls the index; it
 * opens no database and runs no jobs, so any number of them can serve behind a shield, and they keep serving
 * what they hold while the control plane is away.
 */
export async function startEdgeService(options: EdgeServiceOptions): Promise<RunningEdge> {
  const logger = options.logger ?? pino({ name: 'aerial-edge' });
  const clock = options.clock ?? systemClock;
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  const reader = createPublishedStoreReader({
    store: options.store,
    logger: logger.child({ component: 'store' }),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
  });
  await reader.start();
  let server: Server;
  try {
    const app = createEdgeApp({
      store: options.store,
      reader,
      clock,
      logger: logger.child({ component: 'http' }),
      ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
    });
    server = await listen(app, options.port, options.host ?? '0.0.0.0');
  } catch (error) {
    reader.stop();
    throw error;
  }
  const url = serviceUrl(server, options.host);
  const channels = reader.state()?.channelIds ?? [];
  announce(`Aerial Classroom edge origin is serving on ${url} from ${options.store.url}`);
  announce(`  channels: ${channels.length ? channels.join(' ') : 'none published in the store yet'}`);
  let closing: Promise<void> | undefined;
  const running = server;
  const close = () =>
    (closing ??= (async () => {
      reader.stop();
      await closeServer(running);
      logger.info('stopped');
    })());
  return { url, server: running, reader, close };
}
