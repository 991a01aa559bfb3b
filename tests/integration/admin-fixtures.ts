/**
 * Fixtures for the admin API tests: a real data directory (SQLite in a temp dir) with assets recorded
 * as packaging records them, two channels in region `east` whose term and suspension timetables air
 * different programmes, days published through the real publish, and the real app on an ephemeral
 * port with an injectable clock.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import { request, type Server } from 'node:http';
import { createPackagingQueue, type PackagingQueue } from '../../scheduler/admin/packaging-queue.ts';
import { createToken } from '../../scheduler/admin/tokens.ts';
import type { Clock } from '../../scheduler/clock.ts';
import { createApp } from '../../scheduler/http/app.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { dbPath } from '../../scheduler/store/db.ts';
import { assetCatalogView, insertAsset, makeDataDir, publish, TEST_LADDER, type DataDir } from './origin-fixtures.ts';

export const CHANNELS = ['t1', 't2'] as const;

function slots(prefix: string, asset: string, from: number, to: number, everyMinutes: number) {
  const out = [];
  for (let m = from, i = 0; m <= to; m += everyMinutes, i++) {
    out.push({
      id: `${prefix}${i}`,
      start: `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
      kind: 'programme',
      asset,
    });
  }
  return out;
}

/** A channel document entry: term airs lesson-a 08:00–12:00, suspension lesson-b 08:00–16:00, every 10 min. */
export function testChannel(id: string, number: number) {
  const days = (list: unknown[]) =>
    Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, list]));
  return {
    id,
    number,
    name: { zh: `测试频道 ${id}`, en: `Test ${id}` },
    timezone: 'Asia/Shanghai',
    ladder: TEST_LADDER,
    grades: [3],
    regions: ['east'],
    timetables: {
      term: days(slots('a', 'lesson-a', 8 * 60, 12 * 60, 10)),
      holiday: days(slots('h', 'lesson-a', 9 * 60, 10 * 60, 30)),
      suspension: days(slots('s', 'lesson-b', 8 * 60, 16 * 60, 10)),
    },
    slate: 'slate',
  };
}

export interface AdminWorld {
  data: DataDir;
  baseUrl: string;
  server: Server;
  packaging: PackagingQueue;
  tokens: { admin: string; editor: string };
  /** JSON request with a token (or none). */
  call(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; raw?: string | Buffer; contentType?: string },
  ): Promise<{ status: number; headers: Headers; json: any; text: string }>;
  /** Logical dump of every table (schema + rows), for "nothing changed" checks. */
  dump(): string;
  /** Database file bytes after a checkpoint. */
  bytes(): Buffer;
  close(): Promise<void>;
}

export async function startAdminWorld(
  clock: Clock,
  options: {
    publishFrom: string;
    publishDays: number;
    publishAtMs: number;
    startQueue?: boolean;
    concurrency?: number;
  },
): Promise<AdminWorld> {
  const data = makeDataDir('aerial-admin-');
  insertAsset(data.db, { id: 'slate', kind: 'slate', title: '稍后回来', segmentMs: Array(10).fill(1000) });
  insertAsset(data.db, { id: 'lesson-a', kind: 'lesson', title: '课 A', segmentMs: [6000, 6000, 6000, 6000, 2400] });
  insertAsset(data.db, { id: 'lesson-b', kind: 'lesson', title: '课 B', segmentMs: [6000, 6000, 6000, 3000] });
  importChannelDocument(data.db, { channels: CHANNELS.map((id, i) => testChannel(id, i + 1)) });
  for (const id of CHANNELS) publish(data.db, id, options.publishFrom, options.publishDays, options.publishAtMs);
  const admin = createToken(data.db, 'root', 'admin', 0).token;
  const editor = createToken(data.db, 'programmer', 'editor', 0).token;

  const packaging = createPackagingQueue({
    db: data.db,
    dataDir: data.dataDir,
    clock,
    concurrency: options.concurrency ?? 1,
  });
  if (options.startQueue) packaging.start();
  const app = createApp({
    db: data.db,
    mediaDir: data.mediaDir,
    clock,
    logger: pino({ level: 'silent' }),
    loadCatalog: assetCatalogView,
    packagingQueue: packaging,
    horizonDays: 1,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    data,
    baseUrl,
    server,
    packaging,
    tokens: { admin, editor },
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
      let body: string | Buffer | undefined;
      if (opts.raw !== undefined) {
        body = opts.raw;
        headers['Content-Type'] = opts.contentType ?? 'application/json';
      } else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['Content-Type'] = 'application/json';
      }
      // A fresh connection per call: the app runs in this process, and a long synchronous publish
      // can make a reused keep-alive socket race its idle timeout.
      const res = await new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
        const url = new URL(baseUrl + path);
        const req = request(
          { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: false },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.on('end', () => {
              const h = new Headers();
              for (const [k, v] of Object.entries(response.headers))
                if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
              resolve({ status: response.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString('utf8') });
            });
            response.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      const text = res.text;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, json, text };
    },
    dump() {
      const db = data.db;
      const tables = db
        .prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') ORDER BY name")
        .all() as { name: string; sql: string | null }[];
      const parts = [`user_version=${db.pragma('user_version', { simple: true })}`];
      for (const t of tables) {
        parts.push(`${t.name}: ${t.sql ?? ''}`);
        const isTable =
          (db.prepare('SELECT type FROM sqlite_master WHERE name = ?').pluck().get(t.name) as string) === 'table';
        if (isTable && !t.name.startsWith('sqlite_')) {
          for (const row of db.prepare(`SELECT * FROM "${t.name}" ORDER BY 1, 2`).raw().iterate())
            parts.push(JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
        }
      }
      return parts.join('\n');
    },
    bytes() {
      data.db.pragma('wal_checkpoint(TRUNCATE)');
      return readFileSync(dbPath(data.dataDir));
    },
    async close() {
      packaging.stop();
      await packaging.idle();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      data.cleanup();
    },
  };
}
