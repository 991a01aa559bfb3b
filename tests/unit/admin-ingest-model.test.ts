/** The ingest screen's pure parts: a dropped file's role and lesson from its name, the upload speed, sizes. */
import { describe, expect, it } from 'vitest';
import {
  addSample,
  formatBytes,
  matchLesson,
  posterAtProblem,
  roleOfFile,
  speedOf,
} from '../../admin-app/src/ingest-model.ts';
import { parsePosterOffset } from '../../packaging/poster.ts';

const IDS = ['g3-math-u1-l1', 'g3-math-u1-l12', 'g3-math-u1-l2', 'g3-math'];

describe('roleOfFile', () => {
  it('is a caption sidecar in the language its name carries (Chinese when none)', () => {
    expect(roleOfFile('g3-math-u1-l1.zh.vtt')).toBe('caption:zh');
    expect(roleOfFile('g3-math-u1-l1-en.VTT')).toBe('caption:en');
    expect(roleOfFile('g3-math-u1-l1.vtt')).toBe('caption:zh');
  });
  it('is a pre-encoded rendition when the name ends with a rendition name, else the source', () => {
    expect(roleOfFile('g3-math-u1-l1.360p.mp4')).toBe('rendition:360p');
    expect(roleOfFile('g3-math-u1-l1_audio.m4a')).toBe('rendition:audio');
    expect(roleOfFile('g3-math-u1-l1.mp4')).toBe('source');
    expect(roleOfFile('课堂录像')).toBe('source');
  });
});

describe('matchLesson', () => {
  it('finds the lesson id as a whole word of the name, the longest when several do', () => {
    expect(matchLesson('g3-math-u1-l1.mp4', IDS)).toBe('g3-math-u1-l1');
    expect(matchLesson('2026_G3-MATH-U1-L12 final.mov', IDS)).toBe('g3-math-u1-l12');
    expect(matchLesson('g3-math-u1-l1.zh.vtt', IDS)).toBe('g3-math-u1-l1');
    expect(matchLesson('g3-math-u1-l1-zh.vtt', IDS)).toBe('g3-math-u1-l1');
  });
  it('does not take an id inside a longer one, and finds none in an unrelated name', () => {
    expect(matchLesson('g3-math-u1-l13.mp4', IDS)).toBe('g3-math');
    expect(matchLesson('g3-math-u1-l1-2.mp4', IDS)).toBe('g3-math');
    expect(matchLesson('xg3-math-u1-l1.mp4', ['g3-math-u1-l1'])).toBeUndefined();
    expect(matchLesson('recording-0412.mp4', IDS)).toBeUndefined();
  });
});

describe('upload speed', () => {
  it('is the bytes per second over the last five seconds of progress', () => {
    let samples = addSample([], { atMs: 0, bytes: 0 });
    expect(speedOf(samples)).toBeUndefined();
    samples = addSample(samples, { atMs: 1000, bytes: 1_000_000 });
    expect(speedOf(samples)).toBe(1_000_000);
    for (let s = 2; s <= 10; s++)
      samples = addSample(samples, { atMs: s * 1000, bytes: s * 1_000_000 + (s > 6 ? (s - 6) * 1_000_000 : 0) });
    // From 5 s to 10 s: 5 MB at 1 MB/s plus 4 MB more in the last four seconds.
    expect(samples[0]!.atMs).toBe(5000);
    expect(speedOf(samples)).toBe(1_800_000);
  });
});

describe('formatBytes', () => {
  it('uses powers of 1024 with one decimal below 100', () => {
    expect(formatBytes(512, 'en-US')).toBe('512 B');
    expect(formatBytes(56.1 * 1024, 'en-US')).toBe('56.1 KB');
    expect(formatBytes(3.5 * 1024 ** 3, 'zh-CN')).toBe('3.5 GB');
    expect(formatBytes(150 * 1024 ** 2, 'en-US')).toBe('150 MB');
  });
});

describe('posterAtProblem', () => {
  it('accepts what the API accepts (parsePosterOffset) and names what it refuses', () => {
    for (const ok of ['30s', '1.5s', '0s', '25%', '100%', '0%']) {
      expect(posterAtProblem(ok)).toBeUndefined();
      expect(() => parsePosterOffset(ok)).not.toThrow();
    }
    for (const [bad, problem] of [
      ['-3s', 'format'],
      ['30', 'format'],
      ['1:30', 'format'],
      ['', 'format'],
      ['150%', 'beyond'],
      ['100.5%', 'beyond'],
    ] as const) {
      expect(posterAtProblem(bad)).toBe(problem);
      expect(() => parsePosterOffset(bad)).toThrow(RangeError);
    }
  });
});
