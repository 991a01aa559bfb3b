/**
 * Pure helpers of the player's subtitles: which caption track to select, and the text of the active cues.
 */

/** Primary subtag, lower case: 'zh-Hans' → 'zh'. */
function primary(tag: string | undefined): string {
  return (tag ?? '').split('-')[0]!.toLowerCase();
}

/**
 * Index of the caption track to show: the preferred language (exact tag, then same primary language), else
 * Chinese (the broadcast's language), else the first track; -1 when there is none.
 */
export function pickSubtitleTrack(languages: readonly (string | undefined)[], preferred = 'zh'): number {
  if (languages.length === 0) return -1;
  for (const wanted of [preferred, 'zh']) {
    const exact = languages.findIndex((l) => (l ?? '').toLowerCase() === wanted.toLowerCase());
    if (exact >= 0) return exact;
    const sameLanguage = languages.findIndex((l) => primary(l) === primary(wanted));
    if (sameLanguage >= 0) return sameLanguage;
  }
  return 0;
}

/** WebVTT cue text as plain text: tags (<b>, <v Speaker>, <c.x>, timestamps) removed, entities decoded. */
export function plainCueText(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lrm;|&rlm;/g, '')
    .replace(/&amp;/g, '&')
    .trim();
}

interface CueLike {
  text?: string;
}

interface TrackLike {
  kind: string;
  mode: string;
  activeCues: ArrayLike<unknown> | null;
}

/** The text of the active cues of the selected (not disabled) subtitle track, one line per cue. */
export function captionText(tracks: ArrayLike<TrackLike>): string {
  const lines: string[] = [];
  for (let i = 0; i < tracks.length; i++) {
    const track = tracks[i]!;
    if (track.mode === 'disabled' || (track.kind !== 'subtitles' && track.kind !== 'captions') || !track.activeCues)
      continue;
    for (let c = 0; c < track.activeCues.length; c++) {
      const text = plainCueText((track.activeCues[c] as CueLike).text ?? '');
      if (text && !lines.includes(text)) lines.push(text);
    }
    break;
  }
  return lines.join('\n');
}
