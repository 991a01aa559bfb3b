#!/usr/bin/env node
// Regenerates assets/fonts/AerialSans-Regular.{otf,woff2}: a renamed subset of Noto Sans Simplified
// Chinese (Regular) covering ASCII, Latin-1, common General Punctuation, the GB2312 symbol rows
// (punctuation, pinyin with tones, numbers, Greek, bopomofo...), CJK punctuation, full-width forms,
// all 6,763 GB2312 hanzi (levels 1 and 2), and assets/fonts/extra-characters.txt.
//
// It installs nothing. Prepare a scratch directory OUTSIDE the repository first:
//
//   mkdir -p /tmp/fontwork && cd /tmp/fontwork && npm init -y \
//     && npm install --no-audit --no-fund @embedpdf/fonts-sc@1.0.0 subset-font@2.9.0
//   cd <repo> && node scripts/subset-font.mjs --scratch /tmp/fontwork
//
// @embedpdf/fonts-sc ships NotoSansHans-Regular.otf (OFL-1.1, Reserved Font Name "Noto Sans");
// subset-font runs HarfBuzz's hb-subset (wasm) and brings fontverter/wawoff2 for WOFF2.
// Because of the Reserved Font Name, the subset is renamed "Aerial Sans" both in the `name` table
// and inside the CFF table (font name, family/full names, CID sub-font names).
// Output is deterministic: running it twice gives byte-identical files.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fontsDir = path.join(repoRoot, 'assets', 'fonts');

const SOURCE_PACKAGE = '@embedpdf/fonts-sc';
const SOURCE_PACKAGE_VERSION = '1.0.0';
const SOURCE_FILE = 'fonts/NotoSansHans-Regular.otf';
const FAMILY = 'Aerial Sans';
const POSTSCRIPT_PREFIX = 'AerialSans';
// Ceiling from the brief: the OTF must stay small enough to ship in the repo and the TV app.
const MAX_OTF_BYTES = 2.5 * 1024 * 1024;

function parseArgs(argv) {
  let scratch = process.env.FONTWORK_DIR ?? '/tmp/fontwork';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--scratch') {
      const value = argv[++i];
      if (!value) throw new Error('--scratch needs a directory');
      scratch = value;
    } else {
      throw new Error(`unknown argument ${argv[i]} (usage: node scripts/subset-font.mjs [--scratch DIR])`);
    }
  }
  return { scratch: path.resolve(scratch) };
}

// ---------- character set ----------

function range(first, last) {
  const out = [];
  for (let cp = first; cp <= last; cp++) out.push(cp);
  return out;
}

/** Decodes GB2312 rows [firstRow..lastRow] (lead bytes 0xA1.. ) through the GB18030 decoder. */
function gb2312Rows(firstLead, lastLead, lastTrailOfLastRow = 0xfe) {
  const decoder = new TextDecoder('gb18030', { fatal: true });
  const out = [];
  for (let lead = firstLead; lead <= lastLead; lead++) {
    const lastTrail = lead === lastLead ? lastTrailOfLastRow : 0xfe;
    for (let trail = 0xa1; trail <= lastTrail; trail++) {
      const cp = decoder.decode(new Uint8Array([lead, trail])).codePointAt(0);
      // Unassigned GB2312 cells decode to private-use code points: not characters anyone types.
      if (cp === undefined || (cp >= 0xe000 && cp <= 0xf8ff)) continue;
      out.push(cp);
    }
  }
  return out;
}

function characterGroups() {
  const extraFile = path.join(fontsDir, 'extra-characters.txt');
  const extra = fs.existsSync(extraFile)
    ? [...fs.readFileSync(extraFile, 'utf8').replace(/^#.*$/gm, '')]
        .map((ch) => ch.codePointAt(0))
        .filter((cp) => cp > 0x20)
    : [];
  return [
    { name: 'printable ASCII U+0020-007E', codePoints: range(0x20, 0x7e) },
    { name: 'Latin-1 Supplement U+00A0-00FF', codePoints: range(0xa0, 0xff) },
    {
      name: 'GB2312 symbol rows 0xA1-0xA9 (punctuation, numbers, Greek, Cyrillic, pinyin, bopomofo, box drawing)',
      codePoints: gb2312Rows(0xa1, 0xa9),
    },
    {
      // English titles and translations use typographic dashes and quotes that GB2312 lacks (e.g. "Qin–Han").
      name: 'General Punctuation U+2010-2027, U+2030-203A, euro and trade mark signs',
      codePoints: [...range(0x2010, 0x2027), ...range(0x2030, 0x203a), 0x20ac, 0x2122],
    },
    { name: 'CJK Symbols and Punctuation U+3000-303F', codePoints: range(0x3000, 0x303f) },
    { name: 'Halfwidth and Fullwidth Forms U+FF00-FFEF', codePoints: range(0xff00, 0xffef) },
    { name: 'GB2312 level-1 hanzi 0xB0A1-0xD7F9', codePoints: gb2312Rows(0xb0, 0xd7, 0xf9) },
    { name: 'GB2312 level-2 hanzi 0xD8A1-0xF7FE', codePoints: gb2312Rows(0xd8, 0xf7) },
    { name: 'assets/fonts/extra-characters.txt', codePoints: extra },
  ];
}

// ---------- SFNT reading and writing ----------

function readSfnt(buf) {
  const sfntVersion = buf.readUInt32BE(0);
  const numTables = buf.readUInt16BE(4);
  const tables = new Map();
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    const tag = buf.toString('latin1', rec, rec + 4);
    const offset = buf.readUInt32BE(rec + 8);
    const length = buf.readUInt32BE(rec + 12);
    tables.set(tag, Buffer.from(buf.subarray(offset, offset + length)));
  }
  return { sfntVersion, tables };
}

function tableChecksum(data) {
  const padded = Buffer.alloc((data.length + 3) & ~3);
  data.copy(padded);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

function writeSfnt(sfntVersion, tables) {
  const tags = [...tables.keys()].sort();
  const numTables = tags.length;
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(sfntVersion, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const head = tables.get('head');
  if (!head) throw new Error('font has no head table');
  head.writeUInt32BE(0, 8); // checkSumAdjustment is computed over the font with this field zeroed
  const chunks = [header];
  let offset = header.length;
  tags.forEach((tag, i) => {
    const data = tables.get(tag);
    const rec = 12 + 16 * i;
    header.write(tag, rec, 'latin1');
    header.writeUInt32BE(tableChecksum(data), rec + 4);
    header.writeUInt32BE(offset, rec + 8);
    header.writeUInt32BE(data.length, rec + 12);
    const padded = Buffer.alloc((data.length + 3) & ~3);
    data.copy(padded);
    chunks.push(padded);
    offset += padded.length;
  });
  const font = Buffer.concat(chunks);
  const headOffset = header.readUInt32BE(12 + 16 * tags.indexOf('head') + 8);
  font.writeUInt32BE((0xb1b0afba - tableChecksum(font)) >>> 0, headOffset + 8);
  return font;
}

/** Unicode code points mapped by the cmap (formats 4 and 12), for checking the subset. */
function cmapCodePoints(cmap) {
  const covered = new Set();
  const numSubtables = cmap.readUInt16BE(2);
  for (let i = 0; i < numSubtables; i++) {
    const offset = cmap.readUInt32BE(4 + 8 * i + 4);
    const format = cmap.readUInt16BE(offset);
    if (format === 4) {
      const segCount = cmap.readUInt16BE(offset + 6) / 2;
      const ends = offset + 14;
      const starts = ends + segCount * 2 + 2;
      const deltas = starts + segCount * 2;
      const rangeOffsets = deltas + segCount * 2;
      for (let s = 0; s < segCount; s++) {
        const end = cmap.readUInt16BE(ends + 2 * s);
        const start = cmap.readUInt16BE(starts + 2 * s);
        const delta = cmap.readUInt16BE(deltas + 2 * s);
        const rangeOffset = cmap.readUInt16BE(rangeOffsets + 2 * s);
        for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
          let glyph;
          if (rangeOffset === 0) glyph = (cp + delta) & 0xffff;
          else {
            const at = rangeOffsets + 2 * s + rangeOffset + 2 * (cp - start);
            glyph = cmap.readUInt16BE(at);
            if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
          }
          if (glyph !== 0) covered.add(cp);
        }
      }
    } else if (format === 12) {
      const groups = cmap.readUInt32BE(offset + 12);
      for (let g = 0; g < groups; g++) {
        const rec = offset + 16 + 12 * g;
        const start = cmap.readUInt32BE(rec);
        const end = cmap.readUInt32BE(rec + 4);
        const firstGlyph = cmap.readUInt32BE(rec + 8);
        for (let cp = start; cp <= end; cp++) if (firstGlyph + (cp - start) !== 0) covered.add(cp);
      }
    }
  }
  return covered;
}

// ---------- renaming (OFL Reserved Font Name) ----------

function buildNameTable(records) {
  // Windows platform, Unicode BMP, en-US: the records FreeType, browsers and OS font menus read.
  const encoded = records.map(([nameId, text]) => ({ nameId, bytes: Buffer.from(text, 'utf16le').swap16() }));
  encoded.sort((a, b) => a.nameId - b.nameId);
  const header = Buffer.alloc(6 + 12 * encoded.length);
  header.writeUInt16BE(0, 0);
  header.writeUInt16BE(encoded.length, 2);
  header.writeUInt16BE(header.length, 4);
  let stringOffset = 0;
  encoded.forEach(({ nameId, bytes }, i) => {
    const rec = 6 + 12 * i;
    header.writeUInt16BE(3, rec);
    header.writeUInt16BE(1, rec + 2);
    header.writeUInt16BE(0x409, rec + 4);
    header.writeUInt16BE(nameId, rec + 6);
    header.writeUInt16BE(bytes.length, rec + 8);
    header.writeUInt16BE(stringOffset, rec + 10);
    stringOffset += bytes.length;
  });
  return Buffer.concat([header, ...encoded.map((e) => e.bytes)]);
}

function readCffIndex(cff, start) {
  const count = cff.readUInt16BE(start);
  if (count === 0) return { items: [], end: start + 2 };
  const offSize = cff[start + 2];
  const readOffset = (i) => {
    let value = 0;
    for (let k = 0; k < offSize; k++) value = value * 256 + cff[start + 3 + i * offSize + k];
    return value;
  };
  const dataBase = start + 3 + (count + 1) * offSize - 1;
  const items = [];
  for (let i = 0; i < count; i++)
    items.push(Buffer.from(cff.subarray(dataBase + readOffset(i), dataBase + readOffset(i + 1))));
  return { items, end: dataBase + readOffset(count) };
}

function writeCffIndex(items) {
  if (items.length === 0) return Buffer.from([0, 0]);
  const dataLength = items.reduce((n, item) => n + item.length, 0);
  const offSize = dataLength + 1 <= 0xff ? 1 : dataLength + 1 <= 0xffff ? 2 : dataLength + 1 <= 0xffffff ? 3 : 4;
  const header = Buffer.alloc(3 + (items.length + 1) * offSize);
  header.writeUInt16BE(items.length, 0);
  header[2] = offSize;
  let offset = 1;
  for (let i = 0; i <= items.length; i++) {
    header.writeUIntBE(offset, 3 + i * offSize, offSize);
    if (i < items.length) offset += items[i].length;
  }
  return Buffer.concat([header, ...items]);
}

/**
 * Renames the font inside the CFF table without moving anything after the String INDEX: the
 * Top DICT holds absolute offsets to the charstrings, FDArray etc., so the Name + Top DICT +
 * String INDEX block keeps its exact length (the bytes the shorter names free are given to the
 * Notice string as a modification note, then trailing spaces).
 */
function renameCff(cff, rename, modificationNote) {
  const headerSize = cff[2];
  const names = readCffIndex(cff, headerSize);
  const topDicts = readCffIndex(cff, names.end);
  const strings = readCffIndex(cff, topDicts.end);
  const blockLength = strings.end - headerSize;
  const renamedNames = names.items.map((item) => Buffer.from(rename(item.toString('latin1')), 'latin1'));
  const renamedStrings = strings.items.map((item) => rename(item.toString('latin1')));
  // The Notice is the first custom string that mentions a copyright; keep it and append the note.
  const noticeIndex = renamedStrings.findIndex((s) => /copyright/i.test(s));
  if (noticeIndex < 0) throw new Error('CFF has no copyright notice string to carry the modification note');
  const build = (notice) => {
    const stringItems = renamedStrings.map((s, i) => Buffer.from(i === noticeIndex ? notice : s, 'latin1'));
    return Buffer.concat([writeCffIndex(renamedNames), writeCffIndex(topDicts.items), writeCffIndex(stringItems)]);
  };
  const baseNotice = renamedStrings[noticeIndex];
  let spare = blockLength - build(baseNotice).length;
  if (spare < 0) throw new Error(`renamed CFF names are ${-spare} bytes longer than the originals`);
  const note = ` ${modificationNote}`.slice(0, spare);
  let notice = baseNotice + note;
  // Padding can only grow an INDEX's offset size, never shrink it, so a few passes settle it.
  for (let pass = 0; pass < 4; pass++) {
    spare = blockLength - build(notice).length;
    if (spare === 0) break;
    if (spare < 0) throw new Error('cannot keep the CFF header block length while renaming');
    notice += ' '.repeat(spare);
  }
  const block = build(notice);
  if (block.length !== blockLength) throw new Error('CFF header block length changed while renaming');
  return Buffer.concat([cff.subarray(0, headerSize), block, cff.subarray(strings.end)]);
}

function renameFont(otf) {
  const { sfntVersion, tables } = readSfnt(otf);
  const cff = tables.get('CFF ');
  if (!cff) throw new Error('expected a CFF-flavoured OpenType font');
  const rename = (s) =>
    s
      .replace(/Noto Sans Simplified Chinese|Noto Sans S Chinese|Noto Sans Hans/g, FAMILY)
      .replace(/NotoSansHans|NotoSansSChinese/g, POSTSCRIPT_PREFIX);
  tables.set('CFF ', renameCff(cff, rename, `Modified: subset and renamed ${FAMILY} (SIL OFL 1.1).`));
  const head = tables.get('head');
  const revision = head.readInt32BE(4) / 65536;
  tables.set(
    'name',
    buildNameTable([
      [
        0,
        'Copyright 2014 Adobe Systems Incorporated. All Rights Reserved. Modified: subset and renamed for the Aerial Classroom project.',
      ],
      [1, FAMILY],
      [2, 'Regular'],
      [3, `${revision.toFixed(3)};${POSTSCRIPT_PREFIX}-Regular;GB2312 subset`],
      [4, `${FAMILY} Regular`],
      [5, `Version ${revision.toFixed(3)}; GB2312 subset`],
      [6, `${POSTSCRIPT_PREFIX}-Regular`],
      [
        13,
        'This Font Software is licensed under the SIL Open Font License, Version 1.1. This license is available with a FAQ at: https://openfontlicense.org',
      ],
      [14, 'https://openfontlicense.org'],
    ]),
  );
  return { font: writeSfnt(sfntVersion, tables), tables };
}

// ---------- main ----------

async function main() {
  const { scratch } = parseArgs(process.argv.slice(2));
  const scratchRequire = createRequire(path.join(scratch, 'package.json'));
  // The package's `exports` map hides package.json and the fonts, so locate its folder directly.
  const sourcePackageDir = (scratchRequire.resolve.paths(SOURCE_PACKAGE) ?? [])
    .map((dir) => path.join(dir, SOURCE_PACKAGE))
    .find((dir) => fs.existsSync(path.join(dir, 'package.json')));
  if (!sourcePackageDir) {
    throw new Error(`${SOURCE_PACKAGE} is not installed in ${scratch}; see the header of scripts/subset-font.mjs`);
  }
  const sourcePackageJson = path.join(sourcePackageDir, 'package.json');
  const sourceVersion = JSON.parse(fs.readFileSync(sourcePackageJson, 'utf8')).version;
  if (sourceVersion !== SOURCE_PACKAGE_VERSION) {
    throw new Error(
      `${SOURCE_PACKAGE}@${sourceVersion} in ${scratch}; this script is pinned to ${SOURCE_PACKAGE_VERSION}`,
    );
  }
  const subsetFont = scratchRequire('subset-font');
  const fontverter = scratchRequire('fontverter');

  const source = fs.readFileSync(path.join(sourcePackageDir, SOURCE_FILE));
  const sourceCoverage = cmapCodePoints(readSfnt(source).tables.get('cmap'));

  const wanted = new Set();
  for (const group of characterGroups()) {
    const missing = group.codePoints.filter((cp) => !sourceCoverage.has(cp));
    const kept = group.codePoints.length - missing.length;
    console.log(`${group.name}: ${kept} of ${group.codePoints.length} in the source font`);
    if (missing.length > 0) {
      console.log(
        `  not in the source font: ${missing.map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')}`,
      );
    }
    for (const cp of group.codePoints) if (sourceCoverage.has(cp)) wanted.add(cp);
  }
  const text = String.fromCodePoint(...[...wanted].sort((a, b) => a - b));

  const subset = await subsetFont(source, text, { targetFormat: 'sfnt' });
  const { font: otf, tables } = renameFont(subset);
  const covered = cmapCodePoints(tables.get('cmap'));
  const lost = [...wanted].filter((cp) => !covered.has(cp));
  if (lost.length > 0) throw new Error(`subset lost ${lost.length} characters, e.g. U+${lost[0].toString(16)}`);
  if (otf.length > MAX_OTF_BYTES)
    throw new Error(`subset is ${otf.length} bytes, over the ${MAX_OTF_BYTES}-byte budget`);
  const woff2 = await fontverter.convert(otf, 'woff2', 'sfnt');

  fs.mkdirSync(fontsDir, { recursive: true });
  fs.writeFileSync(path.join(fontsDir, 'AerialSans-Regular.otf'), otf);
  fs.writeFileSync(path.join(fontsDir, 'AerialSans-Regular.woff2'), woff2);
  console.log(
    `characters: ${wanted.size}; AerialSans-Regular.otf ${otf.length} bytes; AerialSans-Regular.woff2 ${woff2.length} bytes`,
  );
}

main().catch((error) => {
  console.error(`subset-font: ${error.message}`);
  process.exit(1);
});
