import { describe, expect, it } from 'vitest';
import { parseCatalogFile } from '../../scheduler/catalog/catalog-file.ts';
import { decodeUtf8Strict, invalidUtf8Offsets } from '../../scheduler/catalog/text-encoding.ts';

const HEADER = 'id,grade,subject,edition,volume,unit,unit_title_zh,lesson,title_zh,title_en,duration_s,captions,source';
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('parseCatalogFile: CSV', () => {
  it('reads rows with typed fields; empty cells are absent; captions split on ";"', () => {
    const csv = [
      HEADER,
      'g3-c-1,3,chinese,tongbian,1,1,学校生活,1,大青树下的小学,The Primary School,1200,zh; en,v/a.mp4',
      'g3-c-2,3,chinese,tongbian,1,1,学校生活,2,花的学校,,,,',
      '',
    ].join('\r\n');
    const parsed = parseCatalogFile(bytes(`\ufeff${csv}`), 'c.csv');
    expect(parsed.problems).toEqual([]);
    expect(parsed.lessons.map((l) => l.line)).toEqual([2, 3]);
    expect(parsed.lessons[0]!.record).toEqual({
      id: 'g3-c-1',
      grade: 3,
      subject: 'chinese',
      edition: 'tongbian',
      volume: 1,
      unit: 1,
      unitTitleZh: '学校生活',
      lesson: 1,
      titleZh: '大青树下的小学',
      titleEn: 'The Primary School',
      durationS: 1200,
      captions: ['zh', 'en'],
      source: 'v/a.mp4',
    });
    expect(parsed.lessons[1]!.record).toEqual({
      id: 'g3-c-2',
      grade: 3,
      subject: 'chinese',
      edition: 'tongbian',
      volume: 1,
      unit: 1,
      unitTitleZh: '学校生活',
      lesson: 2,
      titleZh: '花的学校',
    });
  });

  it('numbers lines from where a row starts, across blank lines and quoted line breaks', () => {
    const csv = [
      HEADER,
      'a,3,chinese,tongbian,1,1,单元,1,"两行',
      '标题",,,,',
      '',
      'b,3,chinese,tongbian,1,1,单元,2,,,,,',
    ].join('\n');
    const parsed = parseCatalogFile(bytes(csv), 'c.csv');
    expect(parsed.problems).toEqual([{ where: 'c.csv:5', field: 'titleZh', reason: 'is required' }]);
    expect(parsed.lessons[0]).toMatchObject({ line: 2, record: { titleZh: '两行\n标题' } });
  });

  it('reports every bad row with its line, field and reason', () => {
    const csv = [
      HEADER,
      'ok-1,3,chinese,tongbian,1,1,单元,1,好,,,,',
      'bad/id,13,chinee,tongbian,0,1,单元,2,,,-5,zh;xx_yy,',
      'ok-1,3,math,pep,1,1,单元,1,数,,abc,,',
      'ok-3,3,chinese,tongbian,1,1,另一个单元,1,重复位置,,,,',
      'short,3',
    ].join('\n');
    const { problems } = parseCatalogFile(bytes(csv), 'bad.csv');
    const at = (where: string, field?: string) =>
      problems.filter((p) => p.where === where && p.field === field).map((p) => p.reason);
    expect(at('bad.csv:3', 'id')[0]).toMatch(/letters, digits/);
    expect(at('bad.csv:3', 'grade')).toEqual(['must be a whole number 1–12']);
    expect(at('bad.csv:3', 'subject')[0]).toMatch(/unknown subject code 'chinee'/);
    expect(at('bad.csv:3', 'volume')).toEqual(['must be a whole number ≥ 1']);
    expect(at('bad.csv:3', 'titleZh')).toEqual(['is required']);
    expect(at('bad.csv:3', 'durationS')).toEqual(['must be a positive number of seconds']);
    expect(at('bad.csv:3', 'captions.1')[0]).toMatch(/'xx_yy' is not a language tag/);
    expect(at('bad.csv:4', 'id')).toEqual(["id 'ok-1' is already used on line 2"]);
    expect(at('bad.csv:4', 'durationS')).toEqual(['must be a number of seconds, got "abc"']);
    expect(at('bad.csv:5', 'lesson')[0]).toMatch(
      /grade 3 chinese tongbian volume 1 unit 1 lesson 1 is already taken by 'ok-1' on line 2/,
    );
    expect(at('bad.csv:5', 'unitTitleZh')[0]).toMatch(/titled '单元' on line 2/);
    expect(at('bad.csv:6', undefined)).toEqual(['has 2 fields, the header has 13']);
    expect(problems.every((p) => /^bad\.csv:\d+$/.test(p.where!))).toBe(true);
    // Reported in file order.
    const lines = problems.map((p) => Number(p.where!.split(':')[1]));
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('rejects unknown and missing header columns on line 1', () => {
    const { problems, lessons } = parseCatalogFile(bytes('id,grade,subjct,title_zh\nx,1,math,数\n'), 'h.csv');
    expect(lessons).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ where: 'h.csv:1', field: 'subjct', reason: expect.stringMatching(/^unknown column/) }),
      expect.objectContaining({
        where: 'h.csv:1',
        reason: 'missing required columns: subject, edition, volume, unit, unitTitleZh, lesson',
      }),
    ]);
  });

  it('rejects a file with no lessons', () => {
    expect(parseCatalogFile(bytes(`${HEADER}\n`), 'e.csv').problems).toEqual([
      { where: 'e.csv', reason: 'the file contains no lessons' },
    ]);
  });
});

describe('parseCatalogFile: JSON', () => {
  const lesson = (id: string, n: number) =>
    `{"id": "${id}", "grade": 7, "subject": "math", "edition": "pep", "volume": 1, "unit": 1, "unitTitleZh": "有理数", "lesson": ${n}, "titleZh": "正数和负数"}`;

  it('takes an array or { "lessons": [...] } and numbers lines by where each object starts', () => {
    const asArray = `[\n  ${lesson('a', 1)},\n\n  ${lesson('b', 2)}\n]\n`;
    expect(parseCatalogFile(bytes(asArray), 'a.json').lessons.map((l) => [l.record.id, l.line])).toEqual([
      ['a', 2],
      ['b', 4],
    ]);
    const asObject = `{"lessons": [\n${lesson('a', 1)},\n${lesson('b', 2)}]}`;
    const parsed = parseCatalogFile(bytes(asObject), 'o.json');
    expect(parsed.problems).toEqual([]);
    expect(parsed.lessons.map((l) => l.line)).toEqual([2, 3]);
  });

  it('detects JSON by content when the extension says nothing', () => {
    expect(parseCatalogFile(bytes(`[${lesson('a', 1)}]`), 'catalog.txt').lessons).toHaveLength(1);
  });

  it('reports bad objects with their line, unknown fields by name, and syntax errors with a line', () => {
    const text = `[\n${lesson('a', 1)},\n{"id": "b", "grade": "7", "titelZh": "x"},\n42\n]`;
    const { problems } = parseCatalogFile(bytes(text), 'b.json');
    expect(problems).toContainEqual({
      where: 'b.json:3',
      field: 'grade',
      reason: 'must be a whole number 1–12, got "7"',
    });
    expect(problems).toContainEqual(
      expect.objectContaining({ where: 'b.json:3', field: 'titelZh', reason: expect.stringMatching(/^unknown field/) }),
    );
    expect(problems).toContainEqual({ where: 'b.json:4', field: 'lessons[2]', reason: 'must be an object' });
    const syntax = parseCatalogFile(bytes('[\n{"id": "a",\n "grade": 3,,}]'), 's.json').problems;
    expect(syntax).toHaveLength(1);
    expect(syntax[0]!.where).toBe('s.json:3');
    expect(syntax[0]!.reason).toMatch(/^not valid JSON/);
  });
});

describe('encoding', () => {
  it('names the lines holding bytes that are not UTF-8 (a GBK file)', () => {
    const gbk = Buffer.concat([
      bytes(`${HEADER}\n`),
      bytes('ok,3,'),
      Buffer.from([0xd3, 0xef, 0xce, 0xc4]),
      bytes('\n'),
    ]);
    const { problems, lessons } = parseCatalogFile(gbk, 'gbk.csv');
    expect(lessons).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.where).toBe('gbk.csv:2');
    expect(problems[0]!.reason).toMatch(/not valid UTF-8 \(byte 0xd3\).*GBK/);
  });

  it('rejects UTF-16 with and without a byte-order mark', () => {
    const utf16 = Buffer.from(`${HEADER}\n`, 'utf16le');
    expect(parseCatalogFile(utf16, 'u.csv').problems[0]).toEqual({
      where: 'u.csv:1',
      reason: expect.stringMatching(/looks like UTF-16 without a byte-order mark/),
    });
    const withBom = Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]);
    expect(parseCatalogFile(withBom, 'u.csv').problems[0]!.reason).toMatch(/UTF-16 \(byte-order mark\)/);
  });

  it('agrees with the WHATWG decoder on what is well-formed UTF-8', () => {
    const cases = [
      [0xe4, 0xb8, 0xad],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf0, 0x9f, 0x98, 0x80],
      [0xe4, 0xb8],
      [0x80],
      [0xef, 0xbf, 0xbf],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0x41, 0xe0, 0xa0, 0x80],
    ];
    for (const sequence of cases) {
      const data = Uint8Array.from(sequence);
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(data);
      } catch {
        valid = false;
      }
      expect(invalidUtf8Offsets(data).length === 0, sequence.map((b) => b.toString(16)).join(' ')).toBe(valid);
    }
    expect(decodeUtf8Strict(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ text: 'A' });
  });
});
