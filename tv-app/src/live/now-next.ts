/** What the info banner says about a channel at an instant, and channel arithmetic: pure. */
import { airingState, firstEndingAfter, progressAt } from '../guide/time-grid.ts';
import { title, wallClock, type Language } from '../i18n/strings.ts';

export interface BannerProgramme {
  id: string;
  startMs: number;
  endMs: number;
  start: string;
  end: string;
  title: { zh: string; en?: string };
}

export interface NowNext {
  nowTitle: string;
  nowTimes: string;
  nextTitle: string;
  nextTimes: string;
  progress: number;
}

export function nowNext(programmes: readonly BannerProgramme[], nowMs: number, language: Language): NowNext {
  const i = firstEndingAfter(programmes, nowMs);
  const current = programmes[i] && airingState(programmes[i]!, nowMs) === 'airing' ? programmes[i] : undefined;
  const next = current ? programmes[i + 1] : programmes[i];
  return {
    nowTitle: current ? title(current.title, language) : '—',
    nowTimes: current ? `${wallClock(current.start)}–${wallClock(current.end)}` : '',
    nextTitle: next ? title(next.title, language) : '—',
    nextTimes: next ? `${wallClock(next.start)}–${wallClock(next.end)}` : '',
    progress: current ? progressAt(current, nowMs) : 0,
  };
}

/** The channel index a typed channel number selects, or −1 when no channel has that number. */
export function channelIndexForNumber(channels: readonly { number: number }[], typed: string): number {
  const number = Number(typed);
  return typed !== '' && Number.isInteger(number) ? channels.findIndex((c) => c.number === number) : -1;
}

/** Index after zapping `step` channels (wraps around). */
export function zapIndex(current: number, step: number, count: number): number {
  if (count === 0) return -1;
  return (((current + step) % count) + count) % count;
}
