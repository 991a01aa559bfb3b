/**
 * WebVTT caption sidecars in, WebVTT caption segments out (pure: bytes/text in, text out, no I/O).
 *
 * `parseWebVtt` reads a sidecar strictly (W3C WebVTT file syntax): the `WEBVTT` header, cue blocks
 * (optional identifier, `start --> end [settings]`, one or more text lines, kept verbatim), NOTE, STYLE
 * and REGION blocks skipped; a byte that is not UTF-8, a bad timestamp, a cue that ends at or before it
 * starts, cues out of start-time order or a block that is not a cue is a `WebVttError` naming the
 * file, the line and the reason.
 *
 * `segmentWebVtt` cuts the cues along an asset's canonical segments (one WebVTT file per segment; a cue
 * is in every segment it overlaps, as HLS players expect and de-duplicate), each file opening with an
 * `X-TIMESTAMP-MAP` that ties the asset-local cue times to the MPEG-TS timestamps of the video.
 */

export interface WebVttCue {
  /** Cue identifier line, if the cue has one. */
  id?: string;
  startMs: number;
  endMs: number;
  /** Cue settings after the end time (`line:90% align:center` …), verbatim; '' when none. */
  settings: string;
  /** Cue payload lines, verbatim (markup such as `<b>` and entities kept). */
  text: string[];
  /** 1-based line of the cue's timing line in the source file, for messages. */
  line: number;
}

/** A sidecar that cannot be used as captions: which file, which line (when there is one) and why. */
export class WebVttError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;
  constructor(file: string, line: number | undefined, reason: string) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${reason}`);
    this.name = 'WebVttError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  /** `file:line` (or just the file) as error reports print it. */
  get where(): string {
    return this.line === undefined ? this.file : `${this.file}:${this.line}`;
  }
}

const TIMESTAMP = /^(?:(\d{2,}):)?(\d{2}):(\d{2})\.(\d{3})$/;
const TIMING_LINE = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+(.*?))?[ \t]*$/;
const SKIPPED_BLOCK = /^(NOTE|STYLE|REGION)(?:[ \t]|$)/;

/** Milliseconds of a WebVTT timestamp (`[hh:]mm:ss.ttt`), or a reason it is not one. */
export function parseTimestamp(text: string): number | string {
  const m = TIMESTAMP.exec(text);
  if (!m) return `bad timestamp '${text}' (expected [hh:]mm:ss.ttt)`;
  const [hours, minutes, seconds, millis] = [m[1] ?? '0', m[2]!, m[3]!, m[4]!].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  if (minutes > 59) return `bad timestamp '${text}' (minutes must be 00–59)`;
  if (seconds > 59) return `bad timestamp '${text}' (seconds must be 00–59)`;
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/** `hh:mm:ss.ttt` (always with hours). */
export function formatTimestamp(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`timestamp ${ms} ms must be a whole number ≥ 0`);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(ms % 1000, 3)}`;
}

/** UTF-8 text of the file, or a WebVttError on the first line holding a byte sequence that is not UTF-8. */
function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let lineStart = 0;
    let line = 1;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          decoder.decode(bytes.subarray(lineStart, i));
        } catch {
          break;
        }
        lineStart = i + 1;
        line++;
      }
    }
    throw new WebVttError(file, line, 'not UTF-8 text (WebVTT files are UTF-8; re-save the file as UTF-8)');
  }
}

/**
 * Parses a WebVTT file. `file` only names it in errors. Accepts a BOM and LF, CRLF or CR line ends.
 * Returns the cues in file order (which WebVTT requires to be start-time order).
 */
export function parseWebVtt(input: Uint8Array | string, file: string): WebVttCue[] {
  let text = typeof input === 'string' ? input : decodeUtf8(input, file);
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.includes('\0')) {
    const line = text.slice(0, text.indexOf('\0')).split(/\r\n|\r|\n/).length;
    throw new WebVttError(file, line, 'contains a NUL character (not a text file?)');
  }
  const lines = text.split(/\r\n|\r|\n/);
  if (!/^WEBVTT(?:[ \t]|$)/.test(lines[0] ?? '')) {
    throw new WebVttError(file, 1, `missing 'WEBVTT' header (the first line is '${(lines[0] ?? '').slice(0, 40)}')`);
  }
  const cues: WebVttCue[] = [];
  let i = 1;
  // Header lines run to the first blank line; a cue timing there means the blank line is missing.
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    if (lines[i]!.includes('-->'))
      throw new WebVttError(file, i + 1, "a blank line must separate the 'WEBVTT' header from the first cue");
  }
  while (i < lines.length) {
    if (lines[i]!.trim() === '') {
      i++;
      continue;
    }
    const blockStart = i;
    const block: string[] = [];
    for (; i < lines.length && lines[i]!.trim() !== ''; i++) block.push(lines[i]!);
    if (SKIPPED_BLOCK.test(block[0]!) && !block[0]!.includes('-->')) continue;
    const timingIndex = block[0]!.includes('-->') ? 0 : 1;
    const timing = block[timingIndex];
    const timingLineNumber = blockStart + timingIndex + 1;
    if (timing === undefined || !timing.includes('-->')) {
      throw new WebVttError(
        file,
        blockStart + 1,
        `expected a cue ('[identifier]' then 'start --> end'), got '${block[0]!.slice(0, 40)}'`,
      );
    }
    const m = TIMING_LINE.exec(timing);
    if (!m)
      throw new WebVttError(
        file,
        timingLineNumber,
        `malformed cue timing line '${timing.slice(0, 80)}' (expected 'start --> end [settings]')`,
      );
    const startMs = parseTimestamp(m[1]!);
    if (typeof startMs === 'string') throw new WebVttError(file, timingLineNumber, `cue start: ${startMs}`);
    const endMs = parseTimestamp(m[2]!);
    if (typeof endMs === 'string') throw new WebVttError(file, timingLineNumber, `cue end: ${endMs}`);
    if (endMs <= startMs) {
      throw new WebVttError(file, timingLineNumber, `cue ends (${m[2]}) at or before it starts (${m[1]})`);
    }
    const previous = cues.at(-1);
    if (previous && startMs < previous.startMs) {
      throw new WebVttError(
        file,
        timingLineNumber,
        `cue starts (${m[1]}) before the previous cue (${formatTimestamp(previous.startMs)}, line ${previous.line}); cues must be in start-time order`,
      );
    }
    const textLines = block.slice(timingIndex + 1);
    textLines.forEach((line, k) => {
      if (line.includes('-->')) {
        throw new WebVttError(
          file,
          timingLineNumber + 1 + k,
          "cue text contains '-->' (is a blank line missing before this cue?)",
        );
      }
    });
    const cue: WebVttCue = { startMs, endMs, settings: (m[3] ?? '').trim(), text: textLines, line: timingLineNumber };
    if (timingIndex === 1) cue.id = block[0]!;
    cues.push(cue);
  }
  return cues;
}

/**
 * Refuses cues that reach past the end of the video by more than `toleranceMs` (one frame: a cue
 * ending on the last frame's end is fine, a cue a second later belongs to another video).
 */
export function checkCuesWithin(
  cues: readonly WebVttCue[],
  file: string,
  videoEndMs: number,
  toleranceMs: number,
): void {
  for (const cue of cues) {
    if (cue.endMs > videoEndMs + toleranceMs) {
      throw new WebVttError(
        file,
        cue.line,
        `cue ends at ${formatTimestamp(cue.endMs)}, beyond the end of the video (${formatTimestamp(Math.round(videoEndMs))}) by more than a frame`,
      );
    }
  }
}

/**
 * First line and timestamp map of every caption segment: cue times are asset-local, 0 = the asset's first video frame.
 */
export function segmentHeader(firstVideoPts90k: number): string {
  if (!Number.isInteger(firstVideoPts90k) || firstVideoPts90k < 0 || firstVideoPts90k >= 2 ** 33) {
    throw new RangeError(`MPEG-TS timestamp ${firstVideoPts90k} is not a 33-bit tick count`);
  }
  return `WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:${firstVideoPts90k},LOCAL:${formatTimestamp(0)}\n`;
}

function renderCue(cue: WebVttCue): string {
  const timing = `${formatTimestamp(cue.startMs)} --> ${formatTimestamp(cue.endMs)}${cue.settings ? ` ${cue.settings}` : ''}`;
  return [...(cue.id !== undefined ? [cue.id] : []), timing, ...cue.text].join('\n');
}

/**
 * One WebVTT document per canonical segment (`segmentMs`, the asset's per-segment durations). Segment
 * k covers [start_k, start_k + segmentMs[k]); it holds every cue overlapping that range, so a cue that
 * crosses a boundary is in both segments, a cue starting exactly on a boundary only in the later one,
 * and a segment with no cue is a header alone. The last segment also takes cues that start after the
 * packaged end (within the tolerance `checkCuesWithin` allows), so no accepted cue is lost.
 */
export function segmentWebVtt(
  cues: readonly WebVttCue[],
  segmentMs: readonly number[],
  firstVideoPts90k: number,
): string[] {
  const header = segmentHeader(firstVideoPts90k);
  const segments: string[] = [];
  let start = 0;
  segmentMs.forEach((durationMs, k) => {
    if (!(durationMs > 0)) throw new RangeError(`segment ${k} has duration ${durationMs} ms`);
    const end = k === segmentMs.length - 1 ? Number.POSITIVE_INFINITY : start + durationMs;
    const inside = cues.filter((cue) => cue.startMs < end && cue.endMs > start);
    segments.push(inside.length ? `${header}\n${inside.map(renderCue).join('\n\n')}\n` : header);
    start += durationMs;
  });
  return segments;
}
