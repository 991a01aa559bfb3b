/**
 * What a dropped file is, for the ingest screen (pure; unit-tested): its upload role from its name
 * (`*.vtt` → a caption sidecar in the language the name carries, `lesson.360p.mp4` → a pre-encoded rendition,
 * any other file → the lesson's source video; the server probes the content, never trusting a name), the lesson
 * its name carries, and the upload speed over the last few seconds of progress.
 */

export type UploadRole = `source` | `caption:${string}` | `rendition:${string}`;

/** Caption language in a sidecar's name: `g3-math-u1-l1.zh.vtt`, `g3-math-u1-l1-en.vtt`; Chinese when none. */
function captionLanguage(base: string): string {
  const match = /[._-]([a-z]{2,3}(?:-[A-Za-z]{2,4})?)$/.exec(base);
  return match?.[1] ?? 'zh';
}

/** A rendition name of a ladder (`720p`, `360p`, `audio`) at the end of the name before the extension. */
const RENDITION = /[._-](\d{3,4}p|audio)$/i;

export function roleOfFile(fileName: string): UploadRole {
  const dot = fileName.lastIndexOf('.');
  const base = dot > 0 ? fileName.slice(0, dot) : fileName;
  const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  if (extension === 'vtt') return `caption:${captionLanguage(base)}`;
  const rendition = RENDITION.exec(base);
  if (rendition) return `rendition:${rendition[1]!.toLowerCase()}`;
  return 'source';
}

const isAlphanumeric = (c: string | undefined) => c !== undefined && /[a-z0-9]/i.test(c);

/**
 * The lesson whose id the file name contains as a whole word (not inside a longer id: `g3-math-u1-l1` matches
 * `2026_g3-math-u1-l1.zh.vtt` but neither `g3-math-u1-l12.mp4` nor `g3-math-u1-l1-2.mp4`); the longest such id
 * when several do. Case-insensitive.
 */
export function matchLesson(fileName: string, lessonIds: readonly string[]): string | undefined {
  const name = fileName.toLowerCase();
  let best: string | undefined;
  for (const id of lessonIds) {
    const needle = id.toLowerCase();
    if (best && needle.length <= best.length) continue;
    for (let at = name.indexOf(needle); at >= 0; at = name.indexOf(needle, at + 1)) {
      const before = name[at - 1];
      const after = name[at + needle.length];
      // A hyphen continues an id only when a letter or digit follows it (`l1-2` is another id, `l1-zh` is not).
      const continues = isAlphanumeric(after) || /^-\d/.test(name.slice(at + needle.length));
      if (!isAlphanumeric(before) && !continues) {
        best = id;
        break;
      }
    }
  }
  return best;
}

export interface ProgressSample {
  atMs: number;
  bytes: number;
}

/** Keeps the samples of the last `windowMs` (and the one just before, so that a speed is always computed). */
export function addSample(samples: readonly ProgressSample[], next: ProgressSample, windowMs = 5000): ProgressSample[] {
  const all = [...samples, next];
  let first = 0;
  while (first < all.length - 2 && all[first + 1]!.atMs <= next.atMs - windowMs) first++;
  return all.slice(first);
}

/** Bytes per second over the samples, or undefined before two samples apart in time. */
export function speedOf(samples: readonly ProgressSample[]): number | undefined {
  if (samples.length < 2) return undefined;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  if (last.atMs <= first.atMs) return undefined;
  return ((last.bytes - first.bytes) * 1000) / (last.atMs - first.atMs);
}

/** A byte count for people: `12.3 MB`, `850 KB` (powers of 1024, as file managers show sizes). */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${units[unit]}`;
}

/** The API's default poster offset (`posterAt` left out: 10 % into the lesson). */
export const DEFAULT_POSTER_AT = '10%';

/**
 * What is wrong with a poster offset as the API reads it (`POSTER_OFFSET_PATTERN` in packaging/poster.ts):
 * `format` unless seconds (`30s`, `1.5s`) or a percentage (`25%`), `beyond` for a percentage over 100; undefined
 * when it is fine. An offset in seconds past the lesson's end only the server can tell (it reads the source).
 */
export function posterAtProblem(text: string): 'format' | 'beyond' | undefined {
  const match = /^(\d+(?:\.\d+)?)(s|%)$/.exec(text.trim());
  if (!match) return 'format';
  return match[2] === '%' && Number(match[1]) > 100 ? 'beyond' : undefined;
}
