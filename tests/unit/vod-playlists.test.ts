import { describe, expect, it } from 'vitest';
import { renderMasterPlaylist, MasterPlaylistError } from '../../playlists/master.ts';
import { renderVodCaptionPlaylist, renderVodMediaPlaylist, VodPlaylistError } from '../../playlists/vod.ts';
import {
  checkCaptionAlignment,
  checkMasterPlaylist,
  checkMasterSubtitles,
  checkVodMediaPlaylist,
  parseMasterPlaylist,
  parseMediaPlaylist,
} from '../helpers/hls-conformance.ts';
import { LADDER, SLATE_ID, standardAssets } from '../helpers/timeline-fixtures.ts';

const assets = standardAssets();
const lesson = assets.get('lesson-math-01')!;
const slate = assets.get(SLATE_ID)!;

describe('renderMasterPlaylist', () => {
  const text = renderMasterPlaylist(LADDER, { uriFor: (r) => `${r.name}.m3u8` });

  it('lists the video variants in order with every attribute, then an audio-only variant', () => {
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-STREAM-INF:BANDWIDTH=2400000,AVERAGE-BANDWIDTH=1900000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=25.000',
        'v720.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=700000,CODECS="avc1.4d401e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=25.000',
        'v360.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=80000,AVERAGE-BANDWIDTH=70000,CODECS="mp4a.40.2"',
        'a64.m3u8',
        '',
      ].join('\n'),
    );
    const master = parseMasterPlaylist(text);
    expect(checkMasterPlaylist(master, { videoVariants: 2 })).toEqual([]);
    expect(master.variants.map((v) => v.uri)).toEqual(['v720.m3u8', 'v360.m3u8', 'a64.m3u8']);
  });

  it('lists audio-only variants after the video ones whatever the input order', () => {
    const reordered = renderMasterPlaylist([LADDER[2]!, LADDER[0]!], { uriFor: (r) => `/live/g3/${r.name}.m3u8` });
    expect(parseMasterPlaylist(reordered).variants.map((v) => v.uri)).toEqual([
      '/live/g3/v720.m3u8',
      '/live/g3/a64.m3u8',
    ]);
  });

  it('the master checker catches a missing attribute and a missing audio-only variant', () => {
    const noAverage = parseMasterPlaylist(text.replace(/,AVERAGE-BANDWIDTH=1900000/, ''));
    expect(checkMasterPlaylist(noAverage, { videoVariants: 2 }).map((v) => v.rule)).toContain('master-attributes');
    const noFrameRate = parseMasterPlaylist(text.replace(/,FRAME-RATE=25.000/, ''));
    expect(checkMasterPlaylist(noFrameRate, { videoVariants: 2 }).map((v) => v.rule)).toContain('master-attributes');
    const videoOnly = parseMasterPlaylist(
      renderMasterPlaylist(LADDER.slice(0, 2), { uriFor: (r) => `${r.name}.m3u8` }),
    );
    expect(checkMasterPlaylist(videoOnly, { videoVariants: 2 }).map((v) => v.rule)).toContain('master-audio-only');
  });

  it('refuses renditions without the attributes it must publish', () => {
    expect(() => renderMasterPlaylist([{ ...LADDER[0]!, width: undefined }], { uriFor: (r) => r.name })).toThrow(
      /rendition v720: width undefined/,
    );
    expect(() =>
      renderMasterPlaylist([{ ...LADDER[0]!, averageBandwidth: 3_000_000 }], { uriFor: (r) => r.name }),
    ).toThrow(MasterPlaylistError);
    expect(() => renderMasterPlaylist([], { uriFor: (r) => r.name })).toThrow(/no renditions/);
  });
});

describe('renderVodMediaPlaylist', () => {
  it('plays a whole lesson: VOD type, ENDLIST, this rendition’s EXTINFs, media-layout URIs', () => {
    const text = renderVodMediaPlaylist(lesson, 'a64');
    const playlist = parseMediaPlaylist(text);
    expect(checkVodMediaPlaylist(playlist)).toEqual([]);
    expect(playlist.targetDuration).toBe(6);
    expect(playlist.segments).toHaveLength(lesson.segmentMs.length);
    expect(playlist.segments.map((s) => s.duration)).toEqual(
      lesson.renditionSegmentSeconds.a64!.map((s) => Number(s.toFixed(3))),
    );
    expect(playlist.segments[0]!.uri).toBe('/media/lesson-math-01/a64/seg00000.ts');
    expect(playlist.segments.at(-1)!.duration).toBeLessThan(6);
    expect(text).not.toContain('PROGRAM-DATE-TIME');
  });

  it('replays a past slate airing: its range, looping with a discontinuity at each wrap, PDT from the airing start', () => {
    const startMs = Date.UTC(2024, 9, 25, 6, 0, 7);
    const text = renderVodMediaPlaylist(slate, 'v720', {
      segmentRange: { offset: 7, count: 25 },
      programDateTimeMs: startMs,
      targetDurationS: 6,
    });
    const playlist = parseMediaPlaylist(text);
    expect(checkVodMediaPlaylist(playlist)).toEqual([]);
    expect(playlist.targetDuration).toBe(6);
    expect(playlist.segments.map((s) => Number(s.uri.slice(-8, -3)))).toEqual(
      Array.from({ length: 25 }, (_, k) => (7 + k) % 10),
    );
    expect(playlist.segments.filter((s) => s.discontinuity).map((s) => s.mediaSequenceNumber)).toEqual([3, 13, 23]);
    expect(playlist.segments.map((s) => s.programDateTime!.getTime())).toEqual(
      Array.from({ length: 25 }, (_, k) => startMs + k * 1000),
    );
  });

  it('refuses an unknown rendition, a range outside the asset and a too-small target duration', () => {
    expect(() => renderVodMediaPlaylist(lesson, 'v1080')).toThrow(/has no rendition v1080/);
    expect(() => renderVodMediaPlaylist(lesson, 'v720', { segmentRange: { offset: 500, count: 1 } })).toThrow(
      VodPlaylistError,
    );
    expect(() => renderVodMediaPlaylist(lesson, 'v720', { segmentRange: { offset: 0, count: 0 } })).toThrow(/count 0/);
    expect(() => renderVodMediaPlaylist(lesson, 'v720', { targetDurationS: 5 })).toThrow(/below the longest segment/);
  });

  it('the VOD checker catches a missing ENDLIST and a live-typed playlist', () => {
    const text = renderVodMediaPlaylist(lesson, 'v720');
    expect(
      checkVodMediaPlaylist(parseMediaPlaylist(text.replace('#EXT-X-ENDLIST\n', ''))).map((v) => v.rule),
    ).toContain('vod-type');
    expect(
      checkVodMediaPlaylist(parseMediaPlaylist(text.replace('#EXT-X-PLAYLIST-TYPE:VOD\n', ''))).map((v) => v.rule),
    ).toContain('vod-type');
  });
});

describe('caption tracks in master playlists', () => {
  const subtitles = [
    { language: 'zh', uri: 'sub-zh.m3u8' },
    { language: 'en', uri: 'sub-en.m3u8' },
    { language: 'fr', uri: 'sub-fr.m3u8' },
  ];
  const text = renderMasterPlaylist(LADDER, { uriFor: (r) => `${r.name}.m3u8`, subtitles });

  it('lists one SUBTITLES rendition per language (named 中文, English, else the tag) and SUBTITLES="subs" on every variant', () => {
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="zh",NAME="中文",AUTOSELECT=YES,DEFAULT=NO,URI="sub-zh.m3u8"',
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="en",NAME="English",AUTOSELECT=YES,DEFAULT=NO,URI="sub-en.m3u8"',
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="fr",NAME="fr",AUTOSELECT=YES,DEFAULT=NO,URI="sub-fr.m3u8"',
        '#EXT-X-STREAM-INF:BANDWIDTH=2400000,AVERAGE-BANDWIDTH=1900000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=25.000,SUBTITLES="subs"',
        'v720.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=700000,CODECS="avc1.4d401e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=25.000,SUBTITLES="subs"',
        'v360.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=80000,AVERAGE-BANDWIDTH=70000,CODECS="mp4a.40.2",SUBTITLES="subs"',
        'a64.m3u8',
        '',
      ].join('\n'),
    );
    // Strict hls-parser: the group exists for every variant's SUBTITLES, names are unique, no version is needed.
    const master = parseMasterPlaylist(text);
    expect(checkMasterPlaylist(master, { videoVariants: 2 })).toEqual([]);
    expect(checkMasterSubtitles(master, ['zh', 'en', 'fr'])).toEqual([]);
    expect(master.variants[2]!.subtitles.map((r) => [r.name, r.uri, r.isDefault])).toEqual([
      ['中文', 'sub-zh.m3u8', false],
      ['English', 'sub-en.m3u8', false],
      ['fr', 'sub-fr.m3u8', false],
    ]);
  });

  it('without captions the master is unchanged: no EXT-X-MEDIA, no SUBTITLES attribute', () => {
    const plain = renderMasterPlaylist(LADDER, { uriFor: (r) => `${r.name}.m3u8`, subtitles: [] });
    expect(plain).toBe(renderMasterPlaylist(LADDER, { uriFor: (r) => `${r.name}.m3u8` }));
    expect(plain).not.toContain('SUBTITLES');
  });

  it('the checker notices a variant without the group, and strict parsing refuses a group no EXT-X-MEDIA defines', () => {
    const missing = parseMasterPlaylist(text.replace(',SUBTITLES="subs"\nv360', '\nv360'));
    expect(checkMasterSubtitles(missing, ['zh', 'en', 'fr']).map((v) => v.message)).toEqual([
      'variant v360.m3u8: subtitle languages [], expected [zh, en, fr]',
    ]);
    expect(() => parseMasterPlaylist(text.replace(/GROUP-ID="subs"/g, 'GROUP-ID="other"'))).toThrow(
      /SUBTITLES attribute MUST match/,
    );
  });

  it('refuses a language listed twice or a tag that is not BCP 47', () => {
    expect(() =>
      renderMasterPlaylist(LADDER, { uriFor: (r) => r.name, subtitles: [subtitles[0]!, subtitles[0]!] }),
    ).toThrow(/language zh is listed twice/);
    expect(() =>
      renderMasterPlaylist(LADDER, { uriFor: (r) => r.name, subtitles: [{ language: 'z"h', uri: 'x' }] }),
    ).toThrow(MasterPlaylistError);
  });
});

describe('renderVodCaptionPlaylist', () => {
  const english = assets.get('lesson-english-03')!;

  it('lists one WebVTT segment per canonical segment, with canonical EXTINFs, aligned with the video playlist', () => {
    for (const language of ['zh', 'en']) {
      const text = renderVodCaptionPlaylist(english, language);
      const playlist = parseMediaPlaylist(text);
      expect(checkVodMediaPlaylist(playlist)).toEqual([]);
      expect(playlist.segments).toHaveLength(english.segmentMs.length);
      expect(playlist.segments.map((s) => Math.round(s.duration * 1000))).toEqual(english.segmentMs);
      expect(playlist.segments[0]!.uri).toBe(`/media/lesson-english-03/sub-${language}/seg00000.vtt`);
      expect(playlist.segments.at(-1)!.uri).toBe(
        `/media/lesson-english-03/sub-${language}/seg${String(english.segmentMs.length - 1).padStart(5, '0')}.vtt`,
      );
      const video = parseMediaPlaylist(renderVodMediaPlaylist(english, 'v720'));
      expect(checkCaptionAlignment({ caption: playlist, video, trackName: `sub-${language}` })).toEqual([]);
    }
  });

  it('replays an airing range like the video: the same segments, discontinuities and PROGRAM-DATE-TIMEs', () => {
    const startMs = Date.UTC(2024, 9, 25, 8, 0, 0);
    const options = {
      segmentRange: { offset: 200, count: 60 },
      programDateTimeMs: startMs,
      targetDurationS: 6,
      mediaBaseUrl: 'https://cdn.example/media',
    };
    const caption = parseMediaPlaylist(renderVodCaptionPlaylist(english, 'zh', options));
    const video = parseMediaPlaylist(renderVodMediaPlaylist(english, 'v720', options));
    expect(caption.segments.some((s) => s.discontinuity)).toBe(true); // the range wraps around the asset
    expect(caption.segments[0]!.uri).toBe('https://cdn.example/media/lesson-english-03/sub-zh/seg00200.vtt');
    expect(checkCaptionAlignment({ caption, video, trackName: 'sub-zh' })).toEqual([]);
  });

  it('the alignment checker catches a shifted or mismatched caption playlist', () => {
    const video = parseMediaPlaylist(renderVodMediaPlaylist(english, 'v720'));
    const good = renderVodCaptionPlaylist(english, 'zh');
    const rules = (text: string) =>
      checkCaptionAlignment({ caption: parseMediaPlaylist(text), video, trackName: 'sub-zh' }).map((v) => v.rule);
    expect(rules(good.replace('seg00003.vtt', 'seg00004.vtt'))).toEqual(['caption-uri']);
    expect(rules(good.replace('/sub-zh/seg00001.vtt', '/sub-en/seg00001.vtt'))).toEqual(['caption-uri']);
    expect(rules(good.replace('#EXTINF:6.000,', '#EXTINF:5.960,'))).toEqual(['caption-aligned']);
    expect(rules(good.replace('#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-MEDIA-SEQUENCE:1'))).toContain('caption-aligned');
  });

  it('refuses a language the asset has no track of, naming the ones it has', () => {
    expect(() => renderVodCaptionPlaylist(english, 'fr')).toThrow(
      "asset lesson-english-03 has no caption track in 'fr' (captions: zh, en)",
    );
    expect(() => renderVodCaptionPlaylist(slate, 'zh')).toThrow(/it has no captions/);
  });
});
