/**
 * The work queue's pure parts: `--queue`/timing options refused with a clear reason, the derived maintenance
 * interval, and order ids that are stable UUIDs per (control plane, job, attempt) so a restarted control plane
 * re-sending a job is a no-op while a retried job gets a new order.
 */
import { describe, expect, it } from 'vitest';
import { queueTiming, queueUrl } from '../../scheduler/cli/queue-options.ts';
import { UsageError } from '../../scheduler/errors.ts';
import { DEFAULT_TIMING, jobKey, orderId } from '../../scheduler/workers/work-queue.ts';

describe('work queue options', () => {
  it('accepts a postgres:// URL and names what is wrong otherwise', () => {
    expect(queueUrl('postgres://u:p@db:5432/aerial', 'usage')).toBe('postgres://u:p@db:5432/aerial');
    expect(queueUrl('postgresql://db/aerial', 'usage')).toBe('postgresql://db/aerial');
    expect(() => queueUrl(undefined, 'usage')).toThrow(/missing --queue/);
    expect(() => queueUrl('redis://localhost', 'usage')).toThrow(UsageError);
    expect(() => queueUrl('redis://localhost', 'usage')).toThrow(/--queue must be a postgres:\/\/ URL, got 'redis/);
  });

  it('derives the timing: defaults, a shorter lock checked every quarter lock, bad numbers refused', () => {
    expect(queueTiming({})).toEqual(DEFAULT_TIMING);
    const short = queueTiming({ 'lock-seconds': '20', retries: '0', 'retry-delay': '1' });
    expect(short).toMatchObject({ lockSeconds: 20, maintenanceSeconds: 5, retryLimit: 0, retryDelaySeconds: 1 });
    expect(queueTiming({ 'lock-seconds': '2' }).maintenanceSeconds).toBe(1);
    expect(() => queueTiming({ 'lock-seconds': '0' })).toThrow(/--lock-seconds must be a positive whole number/);
    expect(() => queueTiming({ retries: '-1' })).toThrow(/--retries must be a whole number 0..99, got '-1'/);
  });
});

describe('order ids and job keys', () => {
  it('gives one stable UUID per control plane, job and attempt', () => {
    const id = orderId('instance-a', 7, 42);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(orderId('instance-a', 7, 42)).toBe(id);
    expect(orderId('instance-a', 7, 43)).not.toBe(id);
    expect(orderId('instance-b', 7, 42)).not.toBe(id);
    expect(orderId('instance-a', 8, 42)).not.toBe(id);
  });

  it('keys a job by subject, source hash, ladder and segmenting', () => {
    const key = jobKey('g3-math-1', 'ab'.repeat(32), 'sample', { segmentSeconds: 6, gopSeconds: 2 });
    expect(key).toBe(`g3-math-1:${'ab'.repeat(32)}:sample:{"segmentSeconds":6,"gopSeconds":2}`);
    expect(jobKey('g3-math-1', 'ab'.repeat(32), 'default', { segmentSeconds: 6, gopSeconds: 2 })).not.toBe(key);
  });
});
