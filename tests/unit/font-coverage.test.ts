import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EDITIONS, STAGES, SUBJECTS, volumeName } from '../../scheduler/catalog/subjects.ts';
import { sampleFillers } from '../../scheduler/sample/sample-plan.ts';
import { schoolChannelDocument } from '../../scheduler/sample/school-timetable.ts';
import { sampleChannelDocument } from '../helpers/sample-channels.ts';
import { generateLargeCatalog, sampleCurriculum } from '../../scheduler/sample/curriculum.ts';

// The shipped CJK subset must cover every Chinese string we put on screen (issue 2 item 6: titles
// burnt into sample videos; issue 5 item 7: the TV app's own font). These readers are deliberately
// independent of scripts/subset-font.mjs so they check its output rather than repeat it.

const fontsDir = join(import.meta.dirname, '..', '..', 'assets', 'fonts');
const otfPath = join(fontsDir, 'AerialSans-Regular.otf');
const woff2Path = join(fontsDir, 'AerialSans-Regular.woff2');

function sfntTable(font: Buffer, tag: string): Buffer {
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + 16 * i;
    if (font.toString('latin1', record, record + 4) === tag) {
      const offset = font.readUInt32BE(record + 8);
      return font.subarray(offset, offset + font.readUInt32BE(record + 12));
    }
  }
  throw new Error(`no ${tag} table`);
}

/** Code points a cmap maps to a real glyph (glyph 0 is .notdef, the "tofu" box), formats 4 and 12. */
function cmapCodePoints(cmap: Buffer): Set<number> {
  const covered = new Set<number>();
  const numSubtables = cmap.readUInt16BE(2);
  for (let i = 0; i < numSubtables; i++) {
    const offset = cmap.readUInt32BE(4 + 8 * i + 4);
    const format = cmap.readUInt16BE(offset);
    if (format === 4) {
      const segCount = cmap.readUInt16BE(offset + 6) / 2;
      const endCodes = offset + 14;
      const startCodes = endCodes + 2 * segCount + 2;
      const idDeltas = startCodes + 2 * segCount;
      const idRangeOffsets = idDeltas + 2 * segCount;
      for (let s = 0; s < segCount; s++) {
        const end = cmap.readUInt16BE(endCodes + 2 * s);
        const start = cmap.readUInt16BE(startCodes + 2 * s);
        const delta = cmap.readUInt16BE(idDeltas + 2 * s);
        const rangeOffset = cmap.readUInt16BE(idRangeOffsets + 2 * s);
        for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
          let glyph = 0;
          if (rangeOffset === 0) glyph = (cp + delta) & 0xffff;
          else {
            const raw = cmap.readUInt16BE(idRangeOffsets + 2 * s + rangeOffset + 2 * (cp - start));
            if (raw !== 0) glyph = (raw + delta) & 0xffff;
          }
          if (glyph !== 0) covered.add(cp);
        }
      }
    } else if (format === 12) {
      const groups = cmap.readUInt32BE(offset + 12);
      for (let g = 0; g < groups; g++) {
        const group = offset + 16 + 12 * g;
        const start = cmap.readUInt32BE(group);
        const end = cmap.readUInt32BE(group + 4);
        const firstGlyph = cmap.readUInt32BE(group + 8);
        for (let cp = start; cp <= end; cp++) if (firstGlyph + (cp - start) !== 0) covered.add(cp);
      }
    }
  }
  return covered;
}

/** The cmap table out of a WOFF2 file (its tables are one Brotli stream; cmap is never transformed). */
function woff2Cmap(woff2: Buffer): Buffer {
  expect(woff2.toString('latin1', 0, 4)).toBe('wOF2');
  const numTables = woff2.readUInt16BE(12);
  const compressedLength = woff2.readUInt32BE(20);
  let at = 48;
  const readBase128 = (): number => {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = woff2[at++]!;
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error('bad UIntBase128');
  };
  const entries: { tagIndex: number; length: number }[] = [];
  for (let i = 0; i < numTables; i++) {
    const flags = woff2[at++]!;
    const tagIndex = flags & 0x3f;
    if (tagIndex === 63) at += 4; // an explicit tag that is not in the known-tag table
    const transformVersion = flags >> 6;
    const origLength = readBase128();
    // glyf (10) and loca (11) are transformed at version 0; every other table at a non-zero version.
    const transformed = tagIndex === 10 || tagIndex === 11 ? transformVersion === 0 : transformVersion !== 0;
    entries.push({ tagIndex, length: transformed ? readBase128() : origLength });
  }
  const tables = brotliDecompressSync(woff2.subarray(at, at + compressedLength));
  let offset = 0;
  for (const entry of entries) {
    if (entry.tagIndex === 0) return tables.subarray(offset, offset + entry.length); // 0 = 'cmap'
    offset += entry.length;
  }
  throw new Error('WOFF2 has no cmap');
}

function nameRecords(font: Buffer): Map<number, string> {
  const name = sfntTable(font, 'name');
  const count = name.readUInt16BE(2);
  const storage = name.readUInt16BE(4);
  const names = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const record = 6 + 12 * i;
    if (name.readUInt16BE(record) !== 3) continue; // Windows records are UTF-16BE
    const length = name.readUInt16BE(record + 8);
    const start = storage + name.readUInt16BE(record + 10);
    names.set(
      name.readUInt16BE(record + 6),
      Buffer.from(name.subarray(start, start + length))
        .swap16()
        .toString('utf16le'),
    );
  }
  return names;
}

/** Every string value inside a JSON-like value (channel names, course titles, term names...). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function missingCharacters(covered: Set<number>, texts: readonly string[]): string[] {
  const missing = new Set<string>();
  for (const text of texts)
    for (const ch of text) if (!/\s/.test(ch) && !covered.has(ch.codePointAt(0)!)) missing.add(ch);
  return [...missing];
}

const subjectNames = [
  '语文',
  '数学',
  '英语',
  '道德与法治',
  '科学',
  '音乐',
  '美术',
  '体育与健康',
  '历史',
  '地理',
  '生物学',
  '物理',
  '化学',
];
const uiWords = [
  '正在播放',
  '节目单',
  '点播',
  '设置',
  '停课通知',
  '继续观看',
  '第',
  '课',
  '单元',
  '上册',
  '下册',
  '眼保健操',
  '广播体操',
  '直播',
  '回看',
  '暂无节目',
];
const lessonTitles = [
  '第1课 秋天的雨',
  '第2课 花的学校',
  '《草原》（老舍）',
  '两位数乘两位数：口算乘法',
  'Unit 3 My friends — Part A “Let’s talk”',
  '勾股定理',
  '化学方程式的书写与配平',
  '拼音：ā á ǎ à ü',
  '一元二次方程 x²＋2x－3＝0',
  '《论语》十二章',
  '鸦片战争与中国近代史的开端',
  '《诗经》二首：芣苢', // 芣苢 are outside GB2312: they come from assets/fonts/extra-characters.txt
  'From the Origins of Chinese Civilisation to the Qin–Han Unification',
];

const otf = readFileSync(otfPath);
const otfCoverage = cmapCodePoints(sfntTable(otf, 'cmap'));

describe('AerialSans-Regular subset', () => {
  it('covers every subject name, UI word and sample lesson title', () => {
    expect(missingCharacters(otfCoverage, [...subjectNames, ...uiWords, ...lessonTitles])).toEqual([]);
  });

  it('covers every title, unit title and teacher name of the sample curriculum, and the benchmark catalog', () => {
    const lessons = sampleCurriculum();
    expect(lessons.length).toBeGreaterThan(100);
    const texts = lessons.flatMap((lesson) => stringsIn(lesson));
    expect(texts).toContain('秋天的雨');
    expect(missingCharacters(otfCoverage, texts)).toEqual([]);
    expect(
      missingCharacters(
        otfCoverage,
        generateLargeCatalog(200).flatMap((lesson) => stringsIn(lesson)),
      ),
    ).toEqual([]);
  });

  it('covers the catalog vocabulary: stage, subject, edition and volume names', () => {
    const texts = stringsIn([STAGES, SUBJECTS, EDITIONS, volumeName(3, 1), volumeName(3, 2), volumeName(10, 3)]);
    expect(texts).toContain('道德与法治');
    expect(missingCharacters(otfCoverage, texts)).toEqual([]);
  });

  it('covers every string of the sample channel document (channel names such as 空中课堂 高一)', () => {
    const texts = [
      ...stringsIn(sampleChannelDocument({ courses: [], lessonSeconds: 60 })),
      // The school timetable's off-air titles (课间休息, 今日节目已结束…) and the fillers' titles, as guides show them.
      ...stringsIn(schoolChannelDocument({ courses: [], ladder: 'sample' })),
      ...stringsIn(sampleFillers()),
    ];
    expect(texts).toContain('空中课堂 高一');
    expect(texts).toContain('今日节目已结束');
    expect(missingCharacters(otfCoverage, texts)).toEqual([]);
  });

  it('reports characters outside the subset as missing', () => {
    // Hangul and a CJK Extension B ideograph are deliberately not in the GB2312-based subset.
    expect(missingCharacters(otfCoverage, ['语文 한국어 𠀀'])).toEqual(['한', '국', '어', '𠀀']);
  });

  it('covers all 3,755 GB2312 level-1 hanzi and the 3,008 level-2 ones', () => {
    const decoder = new TextDecoder('gb18030', { fatal: true });
    const hanzi: string[] = [];
    for (let lead = 0xb0; lead <= 0xf7; lead++) {
      for (let trail = 0xa1; trail <= 0xfe; trail++) {
        if (lead === 0xd7 && trail > 0xf9) continue; // the five empty cells at the end of level 1
        hanzi.push(decoder.decode(new Uint8Array([lead, trail])));
      }
    }
    expect(hanzi).toHaveLength(3755 + 3008);
    expect(missingCharacters(otfCoverage, [hanzi.join('')])).toEqual([]);
  });

  it('is renamed away from the reserved font name and stays within its size budget', () => {
    const names = nameRecords(otf);
    expect(names.get(1)).toBe('Aerial Sans');
    expect(names.get(6)).toBe('AerialSans-Regular');
    for (const text of names.values()) expect(text).not.toMatch(/Noto Sans/);
    expect(sfntTable(otf, 'CFF ').toString('latin1')).not.toMatch(/NotoSans|Noto Sans/);
    expect(otf.length).toBeLessThanOrEqual(2.5 * 1024 * 1024);
  });

  it('ships a WOFF2 for the TV app with exactly the same characters', () => {
    const woff2Coverage = cmapCodePoints(woff2Cmap(readFileSync(woff2Path)));
    expect(woff2Coverage.size).toBe(otfCoverage.size);
    expect([...otfCoverage].filter((cp) => !woff2Coverage.has(cp))).toEqual([]);
  });

  it("is drawn by the project's ffmpeg drawtext as real glyphs, not the missing-glyph box", () => {
    const ffmpeg =
      process.env.FFMPEG_PATH ?? (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    // One 48x48 grey frame per character; a character without a glyph renders the .notdef box.
    const render = (ch: string): Buffer =>
      execFileSync(ffmpeg, [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        'color=c=black:size=48x48:duration=0.04:rate=25',
        '-vf',
        `drawtext=fontfile='${otfPath}':text='${ch}':fontsize=40:fontcolor=white:x=4:y=4`,
        '-frames:v',
        '1',
        '-f',
        'rawvideo',
        '-pix_fmt',
        'gray',
        '-',
      ]);
    const inkOf = (frame: Buffer): number => frame.reduce((ink, value) => ink + (value > 128 ? 1 : 0), 0);
    const notdefBox = render('한');
    const glyphs = [...'秋天的雨课'].map(render);
    expect(inkOf(notdefBox)).toBeGreaterThan(0);
    for (const glyph of glyphs) {
      expect(inkOf(glyph)).toBeGreaterThan(50);
      expect(glyph.equals(notdefBox)).toBe(false);
    }
    // Distinct characters give distinct pictures: proof the outlines come from the font's glyphs.
    expect(new Set(glyphs.map((frame) => frame.toString('base64'))).size).toBe(glyphs.length);
  });
});
