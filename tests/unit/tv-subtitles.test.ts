import { describe, expect, it } from 'vitest';
import { captionText, pickSubtitleTrack, plainCueText } from '../../tv-app/src/player/subtitles.ts';

describe('pickSubtitleTrack', () => {
  it('prefers the app language, then Chinese, then the first track; none without tracks', () => {
    expect(pickSubtitleTrack(['zh', 'en'], 'en')).toBe(1);
    expect(pickSubtitleTrack(['zh', 'en'], 'zh')).toBe(0);
    expect(pickSubtitleTrack(['en', 'zh'])).toBe(1);
    expect(pickSubtitleTrack(['zh'], 'en')).toBe(0);
    expect(pickSubtitleTrack(['fr', 'de'], 'en')).toBe(0);
    expect(pickSubtitleTrack([], 'zh')).toBe(-1);
  });

  it('matches a tag with a script or region by its primary language', () => {
    expect(pickSubtitleTrack(['en', 'zh-Hans'], 'zh')).toBe(1);
    expect(pickSubtitleTrack(['zh-Hans', 'zh'], 'zh')).toBe(1);
    expect(pickSubtitleTrack([undefined, 'EN'], 'en')).toBe(1);
  });
});

describe('captionText', () => {
  const track = (kind: string, mode: string, texts: string[]) => ({
    kind,
    mode,
    activeCues: texts.map((text) => ({ text })),
  });

  it('is the active cues of the selected subtitle track, tags stripped, one line per cue', () => {
    expect(
      captionText([
        track('metadata', 'hidden', ['x']),
        track('subtitles', 'disabled', ['other']),
        track('subtitles', 'hidden', ['<v 王老师>同学们好', '<b>今天</b> &amp; 明天']),
      ]),
    ).toBe('同学们好\n今天 & 明天');
  });

  it('is empty when no subtitle track is selected or no cue is active', () => {
    expect(captionText([track('subtitles', 'disabled', ['hidden text'])])).toBe('');
    expect(captionText([track('subtitles', 'showing', [])])).toBe('');
    expect(plainCueText('<c.yellow></c>')).toBe('');
  });
});
