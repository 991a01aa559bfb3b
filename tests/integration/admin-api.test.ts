/**
 * Every admin route: 401 without a token (with a Bearer challenge), 401 with an unknown or revoked
 * token, 403 with a token of a role that lacks the permission, success with the right role; and an
 * audit entry (who, what, before/after ids) for every successful mutation, none for reads.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { startAdminWorld, testChannel, type AdminWorld } from './admin-fixtures.ts';

const NOW = Date.parse('2026-11-23T00:05:10Z'); // Monday 08:05:10 in Shanghai
const clock = fixedClock(NOW);
let world: AdminWorld;
let previewId = 'pv-not-made-yet';
let sourceFile = '';

const CSV = [
  'id,grade,subject,edition,volume,unit,unitTitleZh,lesson,titleZh,source',
  'g3-math-1,3,math,pep,1,1,数与代数,1,认识数字,',
].join('\n');

interface RouteCase {
  method: string;
  path: () => string;
  role: 'editor' | 'admin';
  body?: () => unknown;
  raw?: { text: () => string; contentType: string };
  status: number;
  after?: (json: any) => void;
}

const ROUTES: RouteCase[] = [
  { method: 'GET', path: () => '/api/admin/channels', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/channels/t1', role: 'editor', status: 200 },
  { method: 'PUT', path: () => '/api/admin/channels/t3', role: 'admin', body: () => testChannel('t3', 3), status: 200 },
  { method: 'DELETE', path: () => '/api/admin/channels/t3', role: 'admin', status: 200 },
  { method: 'GET', path: () => '/api/admin/channels/t1/timetables', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/channels/t1/timetables/term', role: 'editor', status: 200 },
  {
    method: 'PUT',
    path: () => '/api/admin/channels/t1/timetables/exam',
    role: 'editor',
    body: () => ({ mon: [{ id: 'x1', start: '09:00', kind: 'off-air' }] }),
    status: 200,
  },
  { method: 'DELETE', path: () => '/api/admin/channels/t1/timetables/exam', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/calendars', role: 'editor', status: 200 },
  {
    method: 'PUT',
    path: () => '/api/admin/calendars/west',
    role: 'editor',
    body: () => ({ terms: [{ start: '2026-09-01', end: '2027-01-20' }] }),
    status: 200,
  },
  { method: 'GET', path: () => '/api/admin/calendars/west', role: 'editor', status: 200 },
  { method: 'DELETE', path: () => '/api/admin/calendars/west', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/overrides', role: 'editor', status: 200 },
  {
    method: 'POST',
    path: () => '/api/admin/overrides',
    role: 'editor',
    body: () => ({
      id: 'o1',
      channel: 't1',
      date: '2026-11-30',
      action: 'insert',
      with: { id: 'flag', start: '07:00', kind: 'programme', asset: 'lesson-b' },
    }),
    status: 201,
  },
  { method: 'GET', path: () => '/api/admin/overrides/o1', role: 'editor', status: 200 },
  {
    method: 'PUT',
    path: () => '/api/admin/overrides/o1',
    role: 'editor',
    body: () => ({
      channel: 't1',
      date: '2026-12-01',
      action: 'insert',
      with: { id: 'flag', start: '07:00', kind: 'programme', asset: 'lesson-b' },
    }),
    status: 200,
  },
  { method: 'DELETE', path: () => '/api/admin/overrides/o1', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/suspensions', role: 'editor', status: 200 },
  {
    method: 'POST',
    path: () => '/api/admin/suspensions',
    role: 'editor',
    body: () => ({
      id: 's1',
      from: '2026-11-24',
      to: '2026-11-24',
      regions: ['east'],
      notice: { zh: '停课不停学', en: 'Classes suspended' },
    }),
    status: 201,
  },
  { method: 'GET', path: () => '/api/admin/suspensions/s1', role: 'editor', status: 200 },
  {
    method: 'PUT',
    path: () => '/api/admin/suspensions/s1',
    role: 'editor',
    body: () => ({ from: '2026-11-24', to: '2026-11-24', channels: ['t1'], notice: { zh: '停课' } }),
    status: 200,
  },
  { method: 'DELETE', path: () => '/api/admin/suspensions/s1', role: 'editor', status: 200 },
  {
    method: 'POST',
    path: () => '/api/admin/catalog/import',
    role: 'editor',
    raw: { text: () => CSV, contentType: 'text/csv' },
    status: 200,
  },
  { method: 'GET', path: () => '/api/admin/catalog/lessons?grade=3', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/catalog/volumes', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/catalog/fillers', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/catalog/cards', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/catalog/export?format=csv', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/packaging-jobs', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/build-warnings?days=2', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/guide/why?channel=t1&at=86400000', role: 'editor', status: 404 },
  {
    method: 'POST',
    path: () => '/api/admin/packaging-jobs',
    role: 'editor',
    body: () => ({ lessonId: 'g3-math-1', source: sourceFile, ladder: 'sample' }),
    status: 202,
  },
  { method: 'GET', path: () => '/api/admin/packaging-jobs/1', role: 'editor', status: 200 },
  { method: 'POST', path: () => '/api/admin/packaging-jobs/1/cancel', role: 'editor', status: 200 },
  {
    method: 'POST',
    path: () => '/api/admin/previews',
    role: 'editor',
    body: () => ({ channels: ['t1'], from: '2026-11-24', days: 1 }),
    status: 201,
    after: (json) => {
      previewId = json.id;
    },
  },
  { method: 'GET', path: () => `/api/admin/previews/${previewId}`, role: 'editor', status: 200 },
  { method: 'POST', path: () => `/api/admin/previews/${previewId}/publish`, role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/audit', role: 'editor', status: 200 },
  { method: 'GET', path: () => '/api/admin/tokens', role: 'admin', status: 200 },
  {
    method: 'POST',
    path: () => '/api/admin/tokens',
    role: 'admin',
    body: () => ({ name: 'ci', role: 'editor' }),
    status: 201,
  },
  { method: 'DELETE', path: () => '/api/admin/tokens/ci', role: 'admin', status: 200 },
];

const label = (r: RouteCase) => `${r.method} ${r.path().replace(previewId, ':id')}`;

beforeAll(async () => {
  world = await startAdminWorld(clock, { publishFrom: '2026-11-22', publishDays: 4, publishAtMs: NOW - 86_400_000 });
  // A readable "source": the queue is not started here, so the job stays queued and is cancelled.
  sourceFile = join(world.data.dataDir, 'source.mp4');
  writeFileSync(sourceFile, 'not a real video; never packaged in this test');
});
afterAll(async () => {
  await world?.close();
});

describe('authentication and roles', () => {
  it.each(ROUTES.map((r) => [label(r), r] as const))(
    '%s: 401 without a token, or with an unknown one',
    async (_name, route) => {
      const missing = await world.call(route.method, route.path(), { ...(route.body ? { body: route.body() } : {}) });
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm="aerial-admin"/);
      expect(missing.json.error).toMatch(/token/);
      const forged = await world.call(route.method, route.path(), { token: `aer_${'A'.repeat(43)}` });
      expect(forged.status).toBe(401);
      expect(forged.headers.get('www-authenticate')).toContain('invalid_token');
    },
  );

  it.each(ROUTES.filter((r) => r.role === 'admin').map((r) => [label(r), r] as const))(
    '%s: 403 for an editor token',
    async (_name, route) => {
      const res = await world.call(route.method, route.path(), {
        token: world.tokens.editor,
        ...(route.body ? { body: route.body() } : {}),
      });
      expect(res.status).toBe(403);
      expect(res.json.error).toContain("needs 'admin'");
    },
  );

  it('every admin route succeeds with the right role, and every mutation is audited once', async () => {
    const mutations: Array<{ method: string; status: number }> = [];
    for (const route of ROUTES) {
      const res = await world.call(route.method, route.path(), {
        token: route.role === 'admin' ? world.tokens.admin : world.tokens.editor,
        ...(route.body ? { body: route.body() } : {}),
        ...(route.raw ? { raw: route.raw.text(), contentType: route.raw.contentType } : {}),
      });
      expect({
        route: label(route),
        status: res.status,
        body: res.status === route.status ? undefined : res.text,
      }).toEqual({ route: label(route), status: route.status, body: undefined });
      route.after?.(res.json);
      if (route.method !== 'GET') mutations.push({ method: route.method, status: res.status });
    }
    const audit = await world.call('GET', '/api/admin/audit?limit=500', { token: world.tokens.editor });
    const entries = [...audit.json.entries].reverse();
    expect(entries).toHaveLength(mutations.length);
    const mutating = ROUTES.filter((r) => r.method !== 'GET');
    entries.forEach((entry: any, i: number) => {
      const route = mutating[i]!;
      expect(entry.method).toBe(route.method);
      expect(entry.actor).toBe(route.role === 'admin' ? 'root' : 'programmer');
      expect(entry.atMs).toBe(NOW);
      // The pattern, not the URL: ids appear in before/after, not in the route.
      expect(entry.route.startsWith('/api/admin/')).toBe(true);
      expect(entry.route).not.toContain(previewId);
      expect(entry.summary.length).toBeGreaterThan(5);
    });
    const suspension = entries.find((e: any) => e.route === '/api/admin/suspensions' && e.method === 'POST');
    expect(suspension.after).toEqual(expect.arrayContaining(['suspension:s1', 't1/2026-11-24@v2', 't2/2026-11-24@v2']));
    const channelPut = entries.find((e: any) => e.route === '/api/admin/channels/:id' && e.method === 'PUT');
    expect(channelPut).toMatchObject({ before: [], after: ['channel:t3'], actor: 'root', role: 'admin' });
  });

  it('a revoked token no longer authenticates; the token secret is never stored', async () => {
    const created = await world.call('POST', '/api/admin/tokens', {
      token: world.tokens.admin,
      body: { name: 'temp', role: 'editor' },
    });
    expect(created.status).toBe(201);
    expect(created.json.token).toMatch(/^aer_[A-Za-z0-9_-]{43}$/);
    expect(world.bytes().includes(Buffer.from(created.json.token))).toBe(false);
    expect((await world.call('GET', '/api/admin/channels', { token: created.json.token })).status).toBe(200);
    expect(
      (await world.call('DELETE', `/api/admin/tokens/${created.json.id}`, { token: world.tokens.admin })).status,
    ).toBe(200);
    expect((await world.call('GET', '/api/admin/channels', { token: created.json.token })).status).toBe(401);
    const list = await world.call('GET', '/api/admin/tokens', { token: world.tokens.admin });
    expect(list.json.tokens.find((t: any) => t.name === 'temp').revokedAt).toBe(NOW);
    expect(JSON.stringify(list.json)).not.toContain(created.json.token);
  });

  it('the audit log cannot be edited, even directly in SQLite', () => {
    expect(() => world.data.db.prepare('UPDATE audit_log SET actor = ?').run('someone')).toThrow(/append-only/);
    expect(() => world.data.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('the audit can be filtered and paged', async () => {
    const page1 = await world.call('GET', '/api/admin/audit?limit=3', { token: world.tokens.editor });
    expect(page1.json.entries).toHaveLength(3);
    const page2 = await world.call('GET', `/api/admin/audit?limit=3&before=${page1.json.nextBefore}`, {
      token: world.tokens.editor,
    });
    expect(page2.json.entries[0].id).toBeLessThan(page1.json.entries[2].id);
    const byActor = await world.call('GET', '/api/admin/audit?actor=root&route=tokens', { token: world.tokens.editor });
    expect(byActor.json.entries.length).toBeGreaterThan(0);
    expect(byActor.json.entries.every((e: any) => e.actor === 'root' && e.route.includes('tokens'))).toBe(true);
    const bad = await world.call('GET', '/api/admin/audit?limit=zero', { token: world.tokens.editor });
    expect(bad.status).toBe(400);
    expect(bad.json.problems[0].field).toBe('limit');
  });

  it('public routes need no token', async () => {
    expect((await world.call('GET', '/live/t1/master.m3u8')).status).toBe(200);
    expect((await world.call('GET', '/metrics')).status).toBe(200);
  });
});
