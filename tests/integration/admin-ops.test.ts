/**
 * Health and metrics: /healthz checks (database writable, media readable, horizon published, cron
 * alive) with 200/503; /metrics in Prometheus text with route patterns (never raw URLs), playlist
 * latency, build durations and the last scheduled publish per channel from the real service; and
 * the token CLI (printed once, hash stored, list, revoke, audited).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { createAdminRouter } from '../../scheduler/http/admin-routes.ts';
import { startService } from '../../scheduler/service.ts';
import { openDb, dbPath } from '../../scheduler/store/db.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { startAdminWorld, testChannel, type AdminWorld } from './admin-fixtures.ts';
import { assetCatalogView, insertAsset, makeDataDir } from './origin-fixtures.ts';

const NOW = Date.parse('2026-11-23T00:00:10Z');

describe('/healthz and /metrics', () => {
  const clock = fixedClock(NOW);
  let world: AdminWorld;
  beforeAll(async () => {
    world = await startAdminWorld(clock, { publishFrom: '2026-11-23', publishDays: 2, publishAtMs: NOW - 86_400_000 });
  });
  afterAll(async () => world?.close());

  it('is 200 with every check passing, 503 naming the failing check otherwise', async () => {
    const ok = await world.call('GET', '/healthz');
    expect(ok.status).toBe(200);
    expect(ok.json.status).toBe('ok');
    expect(ok.json.checks.map((c: any) => [c.name, c.ok])).toEqual([
      ['database', true],
      ['media', true],
      ['published-horizon', true],
      ['cron', true],
    ]);
    // The write probe is rolled back: nothing stays behind.
    expect(world.data.db.prepare("SELECT COUNT(*) FROM settings WHERE key = 'healthz-probe'").pluck().get()).toBe(0);

    // Two days later only today's day is missing from the horizon.
    clock.set(NOW + 2 * 86_400_000);
    const stale = await world.call('GET', '/healthz');
    expect(stale.status).toBe(503);
    expect(stale.json.checks.find((c: any) => c.name === 'published-horizon')).toMatchObject({ ok: false });
    expect(stale.json.checks.find((c: any) => c.name === 'published-horizon').detail).toContain(
      't1 (2026-11-23..2026-11-24, needs 2026-11-25..2026-11-25)',
    );
    clock.set(NOW);

    const media = world.data.mediaDir;
    renameSync(media, `${media}.away`);
    try {
      const noMedia = await world.call('GET', '/healthz');
      expect(noMedia.status).toBe(503);
      expect(noMedia.json.checks.find((c: any) => c.name === 'media')).toMatchObject({ ok: false });
      expect(noMedia.json.checks.find((c: any) => c.name === 'media').detail).toContain('ENOENT');
    } finally {
      renameSync(`${media}.away`, media);
    }
    expect((await world.call('GET', '/healthz')).status).toBe(200);
  });

  it('counts requests by route pattern and status, and times playlists and builds', async () => {
    expect((await world.call('GET', '/live/t1/360p.m3u8')).status).toBe(200);
    expect((await world.call('GET', '/live/t2/240p.m3u8')).status).toBe(200);
    expect((await world.call('GET', '/live/nope/360p.m3u8')).status).toBe(404);
    expect((await world.call('GET', '/api/admin/channels')).status).toBe(401);
    expect(
      (
        await world.call('POST', '/api/admin/previews', {
          token: world.tokens.editor,
          body: { channels: ['t1'], from: '2026-11-24' },
        })
      ).status,
    ).toBe(201);
    const res = await world.call('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = res.text;
    expect(text).toContain(
      'aerial_http_requests_total{method="GET",route="/live/:channel/:rendition.m3u8",status="200"} 2',
    );
    expect(text).toContain(
      'aerial_http_requests_total{method="GET",route="/live/:channel/:rendition.m3u8",status="404"} 1',
    );
    expect(text).toContain('aerial_http_requests_total{method="GET",route="/api/admin/channels",status="401"} 1');
    expect(text).toMatch(/aerial_playlist_render_seconds_count\{kind="live"\} 2\n/);
    expect(text).toMatch(/aerial_schedule_build_seconds_count\{channel="t1"\} [1-9]/);
    expect(text).toContain('aerial_packaging_queue_depth{state="queued"} 0');
    // Raw URLs never become labels.
    expect(text).not.toContain('route="/live/t1');
  });

  it('documents every admin route, with the bearer scheme, in /openapi.json', async () => {
    const document = (await world.call('GET', '/openapi.json')).json;
    const router = createAdminRouter({
      db: world.data.db,
      clock,
      packaging: world.packaging,
      schedule: { db: world.data.db, loadCatalog: () => assetCatalogView(world.data.db) },
    });
    const routes = router.stack.flatMap((layer) =>
      layer.methods
        .filter((m) => m !== 'HEAD')
        .map((m) => [m.toLowerCase(), String(layer.path).replace(/:(\w+)/g, '{$1}')] as const),
    );
    expect(routes.length).toBeGreaterThan(30);
    for (const [method, path] of routes) {
      const operation = document.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation.security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(document.paths['/healthz'].get.responses)).toEqual(['200', '503']);
    expect(document.paths['/metrics'].get).toBeDefined();
  });
});

describe('the service wires jobs, health and metrics together', () => {
  it('reports the catch-up publish per channel and a live cron', async () => {
    const data = makeDataDir('aerial-admin-service-');
    insertAsset(data.db, { id: 'slate', kind: 'slate', title: '稍后回来', segmentMs: Array(10).fill(1000) });
    insertAsset(data.db, { id: 'lesson-a', kind: 'lesson', title: '课 A', segmentMs: [6000, 6000, 6000, 6000, 2400] });
    insertAsset(data.db, { id: 'lesson-b', kind: 'lesson', title: '课 B', segmentMs: [6000, 6000, 6000, 3000] });
    importChannelDocument(data.db, { channels: [testChannel('t1', 1)] });
    data.db.close();
    const service = await startService({
      dataDir: data.dataDir,
      port: 0,
      host: '127.0.0.1',
      clock: fixedClock(NOW),
      logger: pino({ level: 'silent' }),
      loadCatalog: assetCatalogView,
      announce: () => {},
      horizonDays: 2,
    });
    try {
      const health = await fetch(`${service.url}/healthz`);
      const body = (await health.json()) as any;
      expect(health.status).toBe(200);
      expect(body.checks.find((c: any) => c.name === 'cron')).toMatchObject({ ok: true });
      expect(body.checks.find((c: any) => c.name === 'cron').detail).toContain('last run 2026-11-23T00:00:10.000Z');
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toContain(
        `aerial_schedule_last_success_timestamp_seconds{channel="t1",job="catch-up"} ${(NOW / 1000) | 0}`,
      );
      expect(metrics).toMatch(/aerial_schedule_build_seconds_count\{channel="t1"\} 2\n/);
    } finally {
      await service.close();
      data.cleanup();
    }
  });
});

describe('aerial token', () => {
  it('creates (printed once, hash stored), lists, revokes, and audits', () => {
    const data = makeDataDir('aerial-admin-cli-');
    data.db.close();
    const aerial = (...args: string[]) =>
      spawnSync(process.execPath, [join(process.cwd(), 'bin/aerial.js'), '--data', data.dataDir, ...args], {
        encoding: 'utf8',
      });
    try {
      const created = aerial('token', 'create', '--role', 'editor', '--name', 'alice');
      expect(created.status).toBe(0);
      const token = created.stdout.trim();
      expect(token).toMatch(/^aer_[A-Za-z0-9_-]{43}$/);
      expect(created.stderr).toContain('shown only this once');
      expect(readFileSync(dbPath(data.dataDir)).includes(Buffer.from(token))).toBe(false);
      const bad = aerial('token', 'create', '--role', 'boss', '--name', 'bob');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('role: one of editor, admin');
      expect(aerial('token', 'list').stdout).toMatch(/1\s+alice\s+editor .* live/);
      expect(aerial('token', 'revoke', 'alice').stdout).toBe("revoked token 'alice' (id 1)\n");
      expect(aerial('token', 'revoke', 'alice').status).toBe(2);
      const db = openDb(data.dataDir);
      try {
        expect(db.prepare('SELECT route FROM audit_log ORDER BY id').pluck().all()).toEqual([
          'aerial token create',
          'aerial token revoke',
        ]);
      } finally {
        db.close();
      }
    } finally {
      data.cleanup();
    }
  });
});
