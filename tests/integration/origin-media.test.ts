/**
 * Segments under /media/ as a cache or a player asks for them: whole, by byte range, revalidated with
 * ETag / If-Modified-Since (304), and with a Content-Length that matches the bytes sent — the same from the
 * lean hot path (a file resolved before) as from the Koa stack (first request, or hotPath: false).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { makeOriginWorld, rawRequest, type OriginWorld, type RawResponse } from './origin-fixtures.ts';

const SEGMENT = '/media/lesson-m/360p/seg00000.ts';
const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
let data: OriginWorld;
let lean: string;
let full: string;

beforeAll(async () => {
  data = makeOriginWorld({ prefix: 'aerial-media-' });
  mkdirSync(join(data.mediaDir, 'lesson-m', '360p'), { recursive: true });
  writeFileSync(join(data.mediaDir, 'lesson-m', '360p', 'seg00000.ts'), BYTES);
  const clock = fixedClock(Date.parse('2026-11-23T01:00:00Z'));
  [lean, full] = (await Promise.all([data.start(clock, { hotPath: true }), data.start(clock, { hotPath: false })])).map(
    (origin) => origin.baseUrl,
  ) as [string, string];
});

afterAll(() => data?.close());

/** The request against the full stack, then twice against the lean one (resolve, then hot path): all equal. */
async function ask(headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  const strip = (res: RawResponse) => {
    const { date: _date, connection: _c, 'keep-alive': _k, ...rest } = res.headers;
    return { status: res.status, headers: rest, body: res.body.toString('hex') };
  };
  const reference = await rawRequest(full, SEGMENT, { method, headers });
  for (let i = 0; i < 2; i++) {
    const res = await rawRequest(lean, SEGMENT, { method, headers });
    expect(strip(res), `${method} ${JSON.stringify(headers)} #${i}`).toEqual(strip(reference));
  }
  return reference;
}

it('sends the whole segment with its length, a strong ETag, Last-Modified and Accept-Ranges', async () => {
  const res = await ask();
  expect(res.status).toBe(200);
  expect(res.body.equals(BYTES)).toBe(true);
  expect(Number(res.headers['content-length'])).toBe(BYTES.length);
  expect(res.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
  expect(res.headers['last-modified']).toBeDefined();
  expect(res.headers['accept-ranges']).toBe('bytes');
  expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  const head = await ask({}, 'HEAD');
  expect(head.body.length).toBe(0);
  expect(Number(head.headers['content-length'])).toBe(BYTES.length);
});

it('answers a revalidation with 304 and no body (If-None-Match, weak or strong; If-Modified-Since)', async () => {
  const { etag, 'last-modified': lastModified } = (await rawRequest(full, SEGMENT)).headers as Record<string, string>;
  const revalidations: Record<string, string>[] = [
    { 'if-none-match': etag! },
    { 'if-none-match': `W/${etag}` },
    { 'if-modified-since': lastModified! },
  ];
  for (const headers of revalidations) {
    const res = await ask(headers);
    expect(res.status, JSON.stringify(headers)).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe(etag);
  }
  expect((await ask({ 'if-none-match': '"something-else"' })).status).toBe(200);
});

it('serves byte ranges (206 with Content-Range and the exact length), 416 past the end', async () => {
  const cases: [string, number, number][] = [
    ['bytes=100-199', 100, 199],
    ['bytes=990-', 990, 999],
    ['bytes=-10', 990, 999],
    ['bytes=900-5000', 900, 999],
    ['bytes=0-0', 0, 0],
  ];
  for (const [range, start, end] of cases) {
    const res = await ask({ range });
    expect(res.status, range).toBe(206);
    expect(res.headers['content-range'], range).toBe(`bytes ${start}-${end}/${BYTES.length}`);
    expect(Number(res.headers['content-length']), range).toBe(end - start + 1);
    expect(res.body.equals(BYTES.subarray(start, end + 1)), range).toBe(true);
  }
  const past = await rawRequest(lean, SEGMENT, { headers: { range: 'bytes=1000-' } });
  expect(past.status).toBe(416);
  expect(past.headers['content-range']).toBe(`bytes */${BYTES.length}`);
  // Several ranges, or an If-Range naming another version: the whole file.
  expect((await ask({ range: 'bytes=0-1,5-6' })).status).toBe(200);
  expect((await ask({ range: 'bytes=0-1', 'if-range': '"other"' })).status).toBe(200);
});
