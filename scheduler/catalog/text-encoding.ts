/**
 * Catalog files must be UTF-8. Spreadsheet tools in China often save GB18030/GBK or UTF-16, which would
 * otherwise import as mojibake; these checks name the line where the file stops being UTF-8.
 */
import { partitionPoint } from '../../playlists/binary-search.ts';

export interface EncodingProblem {
  line: number;
  reason: string;
}

/** Offsets of every byte sequence that is not well-formed UTF-8 (overlongs, surrogates and > U+10FFFF included). */
export function invalidUtf8Offsets(bytes: Uint8Array, limit = Infinity): number[] {
  const bad: number[] = [];
  let i = 0;
  while (i < bytes.length && bad.length < limit) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = b === 0xe0 ? 0xa0 : 0x80;
      if (b === 0xed) max = 0x9f; // UTF-16 surrogates are not characters
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = b === 0xf0 ? 0x90 : 0x80;
      if (b === 0xf4) max = 0x8f;
    } else {
      bad.push(i);
      i++;
      continue;
    }
    const second = bytes[i + 1];
    if (second === undefined || second < min || second > max) {
      bad.push(i);
      i++;
      continue;
    }
    let j = 2;
    for (; j <= need; j++) {
      const next = bytes[i + j];
      if (next === undefined || next < 0x80 || next > 0xbf) break;
    }
    if (j <= need) {
      bad.push(i);
      i += j;
      continue;
    }
    i += need + 1;
  }
  return bad;
}

/** 1-based line number of an offset, given the ascending offsets of the newlines in the same units. */
export function lineAtOffset(newlineOffsets: readonly number[]): (offset: number) => number {
  return (offset) => partitionPoint(0, newlineOffsets.length, (i) => newlineOffsets[i]! >= offset) + 1;
}

/** 1-based line number of each byte offset (offsets counted in the same bytes). */
export function lineOfOffset(bytes: Uint8Array): (offset: number) => number {
  const newlines: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) newlines.push(i);
  return lineAtOffset(newlines);
}

/**
 * Decodes a catalog file as UTF-8 (a UTF-8 byte-order mark is dropped) or explains, per line, why it is
 * not UTF-8. Reports at most `maxLines` lines so a wholly GBK file does not flood the terminal.
 */
export function decodeUtf8Strict(bytes: Uint8Array, maxLines = 20): { text: string } | { problems: EncodingProblem[] } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problems: [{ line: 1, reason: 'the file is UTF-16 (byte-order mark); save it as UTF-8' }] };
  }
  const lineOf = lineOfOffset(bytes);
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return {
      problems: [
        {
          line: lineOf(nul),
          reason: 'contains NUL bytes: the file looks like UTF-16 without a byte-order mark; save it as UTF-8',
        },
      ],
    };
  }
  const bad = invalidUtf8Offsets(bytes);
  if (bad.length > 0) {
    const firstBadByteOfLine = new Map<number, number>();
    for (const offset of bad) {
      const line = lineOf(offset);
      if (!firstBadByteOfLine.has(line)) firstBadByteOfLine.set(line, bytes[offset]!);
    }
    const lines = [...firstBadByteOfLine.keys()];
    const problems = lines.slice(0, maxLines).map((line) => ({
      line,
      reason: `not valid UTF-8 (byte 0x${firstBadByteOfLine.get(line)!.toString(16).padStart(2, '0')}); if the file was saved as GBK/GB18030, save it as UTF-8`,
    }));
    if (lines.length > maxLines) {
      problems.push({
        line: lines[maxLines]!,
        reason: `and ${lines.length - maxLines} more lines that are not valid UTF-8`,
      });
    }
    return { problems };
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return { text: Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start).toString('utf8') };
}
