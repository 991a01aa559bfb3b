import { describe, expect, it } from 'vitest';
import { POSTER_SIZES } from '../../playlists/media-layout.ts';
import { parsePosterOffset, posterArgs, posterOffsetS } from '../../packaging/poster.ts';

describe('poster offset', () => {
  it('takes the frame 10 % into the lesson by default', () => {
    expect(posterOffsetS(1200, 25)).toBe(120);
    expect(posterOffsetS(12, 25)).toBe(1.2);
  });

  it('follows a configured fraction or absolute offset, clamped to the last frame', () => {
    expect(posterOffsetS(600, 25, { offsetFraction: 0.25 })).toBe(150);
    expect(posterOffsetS(600, 25, { offsetS: 42.5 })).toBe(42.5);
    expect(posterOffsetS(600, 25, { offsetS: 42.5, offsetFraction: 0.9 })).toBe(42.5);
    expect(posterOffsetS(2, 25, { offsetS: 30 })).toBe(1.96);
    expect(posterOffsetS(2, 25, { offsetFraction: 1 })).toBe(1.96);
    expect(posterOffsetS(0.02, 25)).toBe(0);
  });

  it('refuses an offset that is not a time in the clip, naming it', () => {
    expect(() => posterOffsetS(60, 25, { offsetS: -1 })).toThrow(/poster offset must be seconds ≥ 0, got -1/);
    expect(() => posterOffsetS(60, 25, { offsetFraction: 1.5 })).toThrow(/fraction must be 0–1, got 1.5/);
    expect(() => posterOffsetS(60, 25, { offsetS: Number.NaN })).toThrow(/got NaN/);
  });
});

describe('--poster-at', () => {
  it('reads seconds or a percentage of the duration', () => {
    expect(parsePosterOffset('30s')).toEqual({ offsetS: 30 });
    expect(parsePosterOffset('1.5s')).toEqual({ offsetS: 1.5 });
    expect(parsePosterOffset('25%')).toEqual({ offsetFraction: 0.25 });
    expect(parsePosterOffset('0%')).toEqual({ offsetFraction: 0 });
  });

  it('refuses anything else, naming the value and the forms it takes', () => {
    for (const bad of ['30', '-3s', '150%', 'ten seconds', '']) {
      expect(() => parsePosterOffset(bad)).toThrow(`poster offset '${bad}' is not seconds (e.g. 30s) or a percentage`);
    }
  });
});

describe('poster ffmpeg arguments', () => {
  const sizes = Object.values(POSTER_SIZES);
  const args = posterArgs('/src/lesson.mp4', 120, '/out/poster', sizes);

  it('seeks the input once and decodes one frame per size, JPEG', () => {
    expect(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 4)).toEqual([
      '-ss',
      '120.000',
      '-i',
      '/src/lesson.mp4',
    ]);
    expect(args.filter((a) => a === '-ss')).toHaveLength(1);
    expect(args.filter((a) => a === '-frames:v')).toHaveLength(2);
    expect(args.filter((a) => a.endsWith('.jpg'))).toEqual(['/out/poster/480.jpg', '/out/poster/1280.jpg']);
  });

  it('letterboxes into 16:9 at 480×270 and 1280×720 without stretching', () => {
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toMatch(/^\[0:v:0\]split=2\[in0\]\[in1\];/);
    expect(graph).toContain('[in0]scale=480:270:force_original_aspect_ratio=decrease,pad=480:270:');
    expect(graph).toContain('[in1]scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:');
    for (const s of sizes) expect(s.width * 9).toBe(s.height * 16);
  });
});
