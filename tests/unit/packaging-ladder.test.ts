import { describe, expect, it } from 'vitest';
import { LADDERS, LESSON_SEGMENTING, ladderProblems, SLATE_SEGMENTING, type Ladder } from '../../packaging/ladder.ts';
import { contentAssetId } from '../../packaging/package-asset.ts';
import { keptDuration, ladderArgs, progressParser, type TranscodeProgress } from '../../packaging/transcode.ts';
import { MEDIA_ID_PATTERN } from '../../playlists/media-layout.ts';

describe('ladders', () => {
  it('ships a default and a sample ladder that satisfy the channel invariants', () => {
    for (const ladder of Object.values(LADDERS)) expect(ladderProblems(ladder), ladder.name).toEqual([]);
    expect(LADDERS.default!.renditions.map((r) => r.name)).toEqual(['720p', '480p', '360p', 'audio']);
    expect(LADDERS.default!.renditions[0]).toMatchObject({ width: 1280, height: 720, videoKbps: 2000, audioKbps: 96 });
    expect(LADDERS.default!.renditions[3]).toMatchObject({ type: 'audio', audioKbps: 64 });
  });

  it('names what is wrong with a bad ladder', () => {
    const bad: Ladder = {
      ...LADDERS.sample!,
      renditions: [
        { type: 'audio', name: 'audio', audioKbps: 64 },
        { type: 'video', name: '../x', width: 641, height: 360, videoKbps: 500, audioKbps: 96 },
      ],
    };
    expect(ladderProblems(bad)).toEqual([
      "rendition name '../x' is not path-safe",
      "rendition '../x' has odd dimensions 641x360 (H.264 4:2:0 needs even)",
      'the first rendition must be video (it is the canonical timeline)',
      'a ladder needs at least two video renditions',
    ]);
  });
});

describe('kept duration', () => {
  it('keeps whole frames and drops only a sliver of a last segment', () => {
    expect(keptDuration(14, 25, 6)).toBe(14);
    expect(keptDuration(14.039, 25, 6)).toBe(14);
    expect(keptDuration(12.2, 25, 6)).toBe(12); // 0.2 s tail: dropped
    expect(keptDuration(12.6, 25, 6)).toBe(12.6);
    expect(keptDuration(14.2, 25, 1)).toBe(14);
    expect(keptDuration(3.3, 25, 6)).toBe(3.28); // shorter than one segment: nothing to drop
  });
});

describe('ffmpeg arguments', () => {
  it('decodes once and maps every rendition of the ladder from one process', () => {
    const args = ladderArgs({
      source: 'in.mp4',
      durationS: 20,
      ladder: LADDERS.default!,
      segmenting: LESSON_SEGMENTING,
      outDir: '/m/.tmp-a-1',
    });
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(args[args.indexOf('-var_stream_map') + 1]).toBe('v:0,a:0 v:1,a:1 v:2,a:2 a:3');
    expect(args[args.indexOf('-force_key_frames') + 1]).toBe('expr:gte(t,n_forced*2)');
    expect(args[args.indexOf('-g') + 1]).toBe('50');
    expect(args[args.indexOf('-sc_threshold') + 1]).toBe('0');
    expect(args[args.indexOf('-hls_time') + 1]).toBe('6');
    expect(args[args.indexOf('-hls_segment_filename') + 1]).toBe('/m/.tmp-a-1/%v/seg%05d.ts');
    const slate = ladderArgs({
      source: 'in.mp4',
      durationS: 20,
      ladder: LADDERS.default!,
      segmenting: SLATE_SEGMENTING,
      outDir: '/m',
    });
    expect(slate[slate.indexOf('-g') + 1]).toBe('25');
    expect(slate[slate.indexOf('-hls_time') + 1]).toBe('1');
  });
});

describe('progress parsing', () => {
  it('turns -progress blocks into percent, speed and ETA, across chunk boundaries', () => {
    const seen: TranscodeProgress[] = [];
    const feed = progressParser(20, (p) => seen.push(p));
    feed('frame=125\nout_time_ms=5000000\nspeed=2.5x\nprog');
    feed('ress=continue\nout_time_ms=20000000\nspeed=2.0x\nprogress=end\n');
    expect(seen).toEqual([
      { outTimeS: 5, totalS: 20, fraction: 0.25, speed: 2.5, etaS: 6, done: false },
      { outTimeS: 20, totalS: 20, fraction: 1, speed: 2, etaS: 0, done: true },
    ]);
  });
});

describe('content asset ids', () => {
  it('differ for any change of source, ladder or segmenting, and stay path-safe', () => {
    const a = contentAssetId('g3/math 1', 'aa', LADDERS.default!, LESSON_SEGMENTING);
    expect(a).toMatch(/^g3_math_1\.[0-9a-f]{10}$/);
    expect(MEDIA_ID_PATTERN.test(a)).toBe(true);
    expect(contentAssetId('g3/math 1', 'aa', LADDERS.default!, LESSON_SEGMENTING)).toBe(a);
    expect(contentAssetId('g3/math 1', 'ab', LADDERS.default!, LESSON_SEGMENTING)).not.toBe(a);
    expect(contentAssetId('g3/math 1', 'aa', LADDERS.sample!, LESSON_SEGMENTING)).not.toBe(a);
    expect(contentAssetId('g3/math 1', 'aa', LADDERS.default!, SLATE_SEGMENTING)).not.toBe(a);
  });
});
