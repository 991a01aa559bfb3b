import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCatalogJson, importCatalogFile } from '../../scheduler/catalog/catalog-import.ts';
import { courseLessons, getLesson } from '../../scheduler/catalog/lessons-repository.ts';
import { InputError } from '../../scheduler/errors.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';

const HEADER =
  'id,grade,subject,edition,volume,unit,unitTitleZh,unitTitleEn,lesson,titleZh,titleEn,teacher,durationS,captions,source';
const ROWS = [
  'g3-chinese-1,3,chinese,tongbian,1,1,学校生活,School Life,1,大青树下的小学,The Primary School under the Big Banyan Tree,王老师,1200,zh;en,media/a.mp4',
  'g3-chinese-2,3,chinese,tongbian,1,1,学校生活,School Life,2,花的学校,The Flower School,王老师,1200,zh,media/b.mp4',
  'g3-chinese-3,3,chinese,tongbian,1,1,学校生活,School Life,3,不懂就要问,Ask When You Do Not Understand,王老师,,,',
  'g7-math-1,7,math,pep,1,1,有理数,Rational Numbers,1,正数和负数,,李老师,1500,,',
];

let dir: string;
let db: Db;
const write = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const csv = (rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;
const tableSnapshot = () => db.prepare('SELECT * FROM lessons ORDER BY id').all();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aerial-catalog-'));
  db = openDb(join(dir, 'data'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('catalog import', () => {
  it('imports a CSV, resolving relative sources against the file’s directory', () => {
    const report = importCatalogFile(db, write('lessons.csv', csv(ROWS)), 'lessons.csv');
    expect(report).toMatchObject({ lessons: 4, added: ROWS.map((r) => r.split(',')[0]), updated: [], unchanged: [] });
    expect(getLesson(db, 'g3-chinese-1')).toEqual({
      id: 'g3-chinese-1',
      grade: 3,
      subject: 'chinese',
      edition: 'tongbian',
      volume: 1,
      unit: 1,
      unitTitleZh: '学校生活',
      unitTitleEn: 'School Life',
      lesson: 1,
      titleZh: '大青树下的小学',
      titleEn: 'The Primary School under the Big Banyan Tree',
      teacher: '王老师',
      durationS: 1200,
      captions: ['zh', 'en'],
      source: join(dir, 'media/a.mp4'),
      status: 'registered',
    });
    expect(courseLessons(db, 3, 'chinese', 'tongbian').map((l) => l.id)).toEqual([
      'g3-chinese-1',
      'g3-chinese-2',
      'g3-chinese-3',
    ]);
  });

  it('is idempotent, and reports updates', () => {
    const file = write('lessons.csv', csv(ROWS));
    importCatalogFile(db, file);
    const before = tableSnapshot();
    expect(importCatalogFile(db, file)).toMatchObject({
      added: [],
      updated: [],
      unchanged: ROWS.map((r) => r.split(',')[0]),
    });
    expect(tableSnapshot()).toEqual(before);
    const retitled = ROWS.map((r) => r.replace('花的学校', '花的学校（修订）'));
    expect(importCatalogFile(db, write('v2.csv', csv(retitled)))).toMatchObject({
      added: [],
      updated: ['g3-chinese-2'],
    });
  });

  it('keeps packaging on re-import unless the source changed', () => {
    importCatalogFile(db, write('lessons.csv', csv(ROWS)));
    db.prepare(
      `UPDATE lessons SET status = 'packaged', asset_id = 'asset-' || id WHERE id IN ('g3-chinese-1', 'g3-chinese-2', 'g3-chinese-3')`,
    ).run();
    const next = ROWS.map((r) =>
      r.replace('王老师', '王芳').replace('media/b.mp4', 'media/b-recut.mp4').replace(/,,,$/, ',,,media/c.mp4'),
    );
    const report = importCatalogFile(db, write('next.csv', csv(next)));
    expect(report.updated).toEqual(['g3-chinese-1', 'g3-chinese-2', 'g3-chinese-3']);
    // Only b got a different source; c was packaged from a file named on the command line and now merely records it.
    expect(report.packagingReset).toEqual(['g3-chinese-2']);
    expect(getLesson(db, 'g3-chinese-1')).toMatchObject({
      teacher: '王芳',
      status: 'packaged',
      assetId: 'asset-g3-chinese-1',
    });
    expect(getLesson(db, 'g3-chinese-2')).toMatchObject({ status: 'registered' });
    expect(getLesson(db, 'g3-chinese-2')!.assetId).toBeUndefined();
    expect(getLesson(db, 'g3-chinese-3')).toMatchObject({ status: 'packaged', source: join(dir, 'media/c.mp4') });
  });

  it('lets a file swap the positions of two lessons it contains', () => {
    importCatalogFile(db, write('lessons.csv', csv(ROWS)));
    const swapped = [
      ROWS[0]!,
      ROWS[1]!.replace(',School Life,2,', ',School Life,3,'),
      ROWS[2]!.replace(',School Life,3,', ',School Life,2,'),
    ];
    expect(importCatalogFile(db, write('swap.csv', csv(swapped))).updated).toEqual(['g3-chinese-2', 'g3-chinese-3']);
    const order = courseLessons(db, 3, 'chinese', 'tongbian').map((l) => l.id);
    expect(order).toEqual(['g3-chinese-1', 'g3-chinese-3', 'g3-chinese-2']);
  });

  it('changes nothing when any row is bad, and reports every bad row including clashes with the catalog', () => {
    importCatalogFile(db, write('lessons.csv', csv(ROWS)));
    const before = tableSnapshot();
    const bad = [
      'new-ok,3,chinese,tongbian,1,2,金秋时节,,1,古诗三首,,,,,',
      'g3-chinese-1,3,chinese,tongbian,1,1,学校生活,,1,改了标题,,,-1,,',
      'intruder,3,chinese,tongbian,1,1,学校生活,,2,占位,,,,,',
      'other,4,history,tongbian,1,1,单元,,1,历史,,,,,',
      'no-title,3,chinese,tongbian,1,2,金秋时节,,2,,,,,,',
    ];
    let error: unknown;
    try {
      importCatalogFile(db, write('bad.csv', csv(bad)), 'bad.csv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems.map((p) => `${p.where} ${p.field}`);
    expect(problems).toEqual(['bad.csv:3 durationS', 'bad.csv:4 lesson', 'bad.csv:6 titleZh']);
    expect((error as InputError).message).toMatch(/already held by lesson 'g3-chinese-2' in the catalog/);
    expect(tableSnapshot()).toEqual(before);
  });

  it('round-trips: import → export → import into a fresh catalog → export is byte-identical', () => {
    const json = `{"lessons": [
      {"id": "z-last", "grade": 12, "subject": "physics", "edition": "pep", "volume": 1, "unit": 1, "unitTitleZh": "动量", "lesson": 1, "titleZh": "动量守恒定律", "captions": ["zh-hans", "en"]},
      {"id": "a-first", "grade": 1, "subject": "math", "edition": "pep", "volume": 1, "unit": 1, "unitTitleZh": "准备课", "lesson": 1, "titleZh": "数一数", "durationS": 1199.5, "source": "clips/x.mp4"}
    ]}`;
    importCatalogFile(db, write('in.json', json));
    importCatalogFile(db, write('lessons.csv', csv(ROWS)));
    const first = exportCatalogJson(db);
    expect((JSON.parse(first) as { lessons: Array<{ id: string }> }).lessons.map((l) => l.id)).toEqual([
      'a-first',
      'g3-chinese-1',
      'g3-chinese-2',
      'g3-chinese-3',
      'g7-math-1',
      'z-last',
    ]);
    expect(first).toContain('"zh-Hans"');
    const exported = write('export.json', first);
    const fresh = openDb(join(dir, 'fresh'));
    try {
      expect(importCatalogFile(fresh, exported).added).toHaveLength(6);
      expect(exportCatalogJson(fresh)).toBe(first);
      expect(importCatalogFile(fresh, exported).unchanged).toHaveLength(6);
    } finally {
      fresh.close();
    }
  });
});

describe('aerial catalog import/export (CLI)', () => {
  const aerial = (...args: string[]) =>
    spawnSync(process.execPath, [join(process.cwd(), 'bin/aerial.js'), '--data', join(dir, 'cli-data'), ...args], {
      cwd: dir,
      encoding: 'utf8',
    });

  it('exits 0 with a summary, 2 naming each bad line, 2 for usage mistakes; export writes --out', () => {
    write('lessons.csv', csv(ROWS));
    const ok = aerial('catalog', 'import', 'lessons.csv');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('lessons.csv: 4 lessons — 4 added, 0 updated, 0 unchanged\n');
    expect(aerial('catalog', 'import', 'lessons.csv').stdout).toBe(
      'lessons.csv: 4 lessons — 0 added, 0 updated, 4 unchanged\n',
    );

    write('bad.csv', csv(['x,3,chinese,tongbian,1,9,单元,,1,标题,,,,,', 'y,0,maths,pep,1,1,单元,,1,标题,,,,,']));
    const bad = aerial('catalog', 'import', 'bad.csv');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad.csv: 1 bad row(s); nothing imported');
    expect(bad.stderr).toContain('bad.csv:3 grade: must be a whole number 1–12');
    expect(bad.stderr).toContain("bad.csv:3 subject: unknown subject code 'maths'");

    mkdirSync(join(dir, 'nested'));
    write('nested/gbk.csv', Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0xb4, 0xf3, 0x0a])]));
    const gbk = aerial('catalog', 'import', 'nested/gbk.csv');
    expect(gbk.status).toBe(2);
    expect(gbk.stderr).toMatch(/nested\/gbk\.csv:2: not valid UTF-8/);

    expect(aerial('catalog', 'import').status).toBe(2);
    expect(aerial('catalog', 'import', 'missing.csv').stderr).toMatch(/cannot read catalog file missing\.csv: ENOENT/);
    expect(aerial('catalog', 'export', '--bogus').status).toBe(2);

    const exported = aerial('catalog', 'export', '--out', 'out.json');
    expect(exported.status).toBe(0);
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe(aerial('catalog', 'export').stdout);
  });
});
