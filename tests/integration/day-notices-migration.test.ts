import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../scheduler/store/db.ts';

/**
 * Migration 012 keeps each published day's suspension notice apart from its body (`day_notices`, read by
 * /api/notices without parsing the days' programmes): days published before it keep their notices.
 */
describe('migration 012 (day_notices)', () => {
  it('copies the notice of every day version published before it, and of none that has no notice', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = OFF'); // the days alone: no channel rows needed
    try {
      const all = loadMigrations();
      migrate(
        db,
        all.filter((m) => m.version < 12),
      );
      const notice = { orderId: 'typhoon', text: { zh: '因台风停课', en: 'Schools closed: typhoon' } };
      const insert = db.prepare(
        'INSERT INTO day_snapshots (channel_id, date, version, published_at, start_ms, end_ms, body) VALUES (?, ?, ?, 0, 0, 1, ?)',
      );
      insert.run('g3', '2027-03-25', 1, JSON.stringify({ channelId: 'g3', items: [], notice }));
      insert.run('g3', '2027-03-26', 1, JSON.stringify({ channelId: 'g3', items: [] }));
      insert.run('g3', '2027-03-26', 2, JSON.stringify({ channelId: 'g3', notice, items: [{ title: 'notice' }] }));

      migrate(db, all);
      const rows = db.prepare('SELECT channel_id, date, version, notice FROM day_notices ORDER BY date, version').all();
      expect(rows).toEqual([
        { channel_id: 'g3', date: '2027-03-25', version: 1, notice: JSON.stringify(notice) },
        { channel_id: 'g3', date: '2027-03-26', version: 2, notice: JSON.stringify(notice) },
      ]);
    } finally {
      db.close();
    }
  });
});
