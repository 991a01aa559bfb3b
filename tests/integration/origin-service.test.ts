import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { resolvePort } from '../../scheduler/cli/serve-command.ts';
import { startService } from '../../scheduler/service.ts';
import {
  assetCatalogView,
  lessonAWorldSpec,
  makeOriginWorld,
  rawRequest,
  type OriginWorld,
} from './origin-fixtures.ts';

const NOW = Date.parse('2026-11-23T00:05:10Z');
const BIG_SEGMENT_BYTES = 24 * 1024 * 1024;

let data: OriginWorld;

beforeEach(() => {
  data = makeOriginWorld({ ...lessonAWorldSpec(), prefix: 'aerial-service-', writeFiles: true });
  // Nothing is published: the service's start-up catch-up must do it before the first request.
  data.db.close();
});

afterEach(() => data.close());

describe('startService', () => {
  it('publishes the horizon before listening, prints the URLs, serves, and shuts down gracefully', async () => {
    const lines: string[] = [];
    const service = await startService({
      dataDir: data.dataDir,
      port: 0,
      host: '127.0.0.1',
      clock: fixedClock(NOW),
      logger: pino({ level: 'silent' }),
      loadCatalog: assetCatalogView,
      announce: (line) => lines.push(line),
      horizonDays: 2,
    });
    expect(lines[0]).toBe(`Aerial Classroom is serving on ${service.url}`);
    expect(lines).toContain(`  channel t1: ${service.url}/live/t1/master.m3u8`);
    expect(lines.some((l) => l.includes(`${service.url}/tv/`))).toBe(true);
    expect(lines.some((l) => l.includes(`${service.url}/epg.xml`))).toBe(true);
    expect(service.jobs.scheduledTimezones()).toEqual(['Asia/Shanghai']);

    const playlist = await rawRequest(service.url, '/live/t1/360p.m3u8');
    expect(playlist.status).toBe(200);
    expect(playlist.body.toString()).toContain('#EXT-X-MEDIA-SEQUENCE:');

    // An in-flight download must finish even though shutdown starts in the middle of it.
    writeFileSync(join(data.mediaDir, 'lesson-a', '360p', 'seg00003.ts'), Buffer.alloc(BIG_SEGMENT_BYTES, 7));
    let closing: Promise<void> | undefined;
    const download = new Promise<number>((resolve, reject) => {
      httpGet(`${service.url}/media/lesson-a/360p/seg00003.ts`, (res) => {
        let received = 0;
        res.pause();
        // Start the shutdown with the body still unread, then drain it.
        closing = service.close();
        setTimeout(() => {
          res.on('data', (chunk: Buffer) => (received += chunk.length));
          res.on('end', () => resolve(received));
          res.on('error', reject);
          res.resume();
        }, 200);
      }).on('error', reject);
    });
    expect(await download).toBe(BIG_SEGMENT_BYTES);
    await closing;
    expect(service.db.open).toBe(false);
    expect(service.jobs.scheduledTimezones()).toEqual([]);
    await expect(rawRequest(service.url, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
    await service.close(); // idempotent
  });

  it('fails to start, and releases the database, when the port is taken', async () => {
    const first = await startService({
      dataDir: data.dataDir,
      port: 0,
      host: '127.0.0.1',
      clock: fixedClock(NOW),
      logger: pino({ level: 'silent' }),
      loadCatalog: assetCatalogView,
      announce: () => {},
      horizonDays: 1,
    });
    try {
      const port = Number(new URL(first.url).port);
      await expect(
        startService({
          dataDir: data.dataDir,
          port,
          host: '127.0.0.1',
          clock: fixedClock(NOW),
          logger: pino({ level: 'silent' }),
          loadCatalog: assetCatalogView,
          announce: () => {},
          horizonDays: 1,
        }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});

describe('aerial serve', () => {
  it('takes the port from --port, else PORT, else 8080, and rejects a bad one', () => {
    expect(resolvePort('9000', { PORT: '7000' })).toBe(9000);
    expect(resolvePort(undefined, { PORT: '7000' })).toBe(7000);
    expect(resolvePort(undefined, {})).toBe(8080);
    expect(() => resolvePort('http', {})).toThrow("--port must be a port number 0..65535, got 'http'");
    expect(() => resolvePort(undefined, { PORT: '70000' })).toThrow("PORT must be a port number 0..65535, got '70000'");
  });

  it('runs as a process: prints where it serves, answers, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/aerial.js', '--data', data.dataDir, 'serve', '--host', '127.0.0.1'], {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line; stdout: ${stdout} stderr: ${stderr}`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /is serving on (http:\/\/\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.on('close', () => reject(new Error(`exited early; stdout: ${stdout} stderr: ${stderr}`)));
    });
    const health = await rawRequest(url, '/healthz');
    expect(health.status).toBe(200);
    expect(stdout).toContain(`channel t1: ${url}/live/t1/master.m3u8`);
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
  });

  it('exits 2 naming a bad --port', async () => {
    mkdirSync(data.dataDir, { recursive: true });
    const child = spawn(process.execPath, ['bin/aerial.js', '--data', data.dataDir, 'serve', '--port', 'eighty'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("--port must be a port number 0..65535, got 'eighty'");
  });
});
