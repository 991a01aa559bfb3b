import { parse } from 'iptv-playlist-parser';
import { describe, expect, it } from 'vitest';
import { renderM3u } from '../../playlists/m3u.ts';
import { renderXmltv } from '../../playlists/xmltv.ts';
import {
  BASE_URL,
  CHANNEL_G3,
  CHANNEL_G8,
  CHANNEL_NY,
  GENERATED_AT,
  LESSONS,
  g3Days,
} from '../helpers/guide-day-fixtures.ts';

const channels = [CHANNEL_NY, CHANNEL_G8, CHANNEL_G3];

/**
 * The attribute grammar Kodi's IPTV Simple and Jellyfin's M3U tuner read: `key="value"` pairs between
 * `#EXTINF:<duration>` and the comma before the name. Returns the pairs, or throws on anything else
 * (an unquoted or empty value would be misread by them).
 */
function kodiAttributes(extinf: string): Record<string, string> {
  const match = /^#EXTINF:(-?\d+)((?:\s+[a-z-]+="[^"]*")*),(.+)$/.exec(extinf);
  if (!match) throw new Error(`not a well-formed EXTINF line: ${extinf}`);
  const pairs = [...match[2]!.matchAll(/([a-z-]+)="([^"]*)"/g)];
  return Object.fromEntries(pairs.map((m) => [m[1]!, m[2]!]));
}

const isAbsoluteHttp = (url: string) => /^https?:\/\/[^/]+\//.test(url) && new URL(url).href.length > 0;

describe('M3U', () => {
  it('is read by a real M3U parser: header EPG URL, one entry per channel with its tvg attributes and stream', () => {
    const playlist = parse(renderM3u({ channels, baseUrl: BASE_URL }));
    expect(playlist.header.attrs['x-tvg-url']).toBe(`${BASE_URL}/epg.xml`);
    expect((playlist.header.attrs as Record<string, string>)['url-tvg']).toBe(`${BASE_URL}/epg.xml`);
    expect(playlist.items.map((i) => i.tvg.id)).toEqual([
      'g3.aerial-classroom',
      'g8.aerial-classroom',
      'ny7.aerial-classroom',
    ]);
    const g3 = playlist.items[0]!;
    expect(g3.name).toBe('空中课堂 三年级');
    expect(g3.tvg.name).toBe('空中课堂 三年级');
    expect(g3.tvg.logo).toBe(`${BASE_URL}/static/logos/g3.png`);
    expect(g3.group.title).toBe('小学');
    expect(g3.url).toBe(`${BASE_URL}/live/g3/master.m3u8`);
    expect(playlist.items[1]!.group.title).toBe('初中');
    expect(playlist.items[2]!.tvg.logo).toBe('https://cdn.example.org/logos/ny7.png');
  });

  it('follows the Kodi/Jellyfin rules: quoted non-empty values, numeric tvg-chno, absolute URLs', () => {
    const text = renderM3u({ channels, baseUrl: 'http://10.1.2.3:8080/', epgUrl: 'https://epg.example.net/all.xml' });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '#EXTM3U x-tvg-url="https://epg.example.net/all.xml" url-tvg="https://epg.example.net/all.xml"',
    );
    const entries = lines.slice(1);
    expect(entries).toHaveLength(channels.length * 2);
    const numbers: string[] = [];
    for (let i = 0; i < entries.length; i += 2) {
      const attrs = kodiAttributes(entries[i]!);
      for (const [key, value] of Object.entries(attrs)) expect(value, key).not.toBe('');
      expect(attrs['tvg-chno']).toMatch(/^\d+$/);
      numbers.push(attrs['tvg-chno']!);
      if (attrs['tvg-logo']) expect(isAbsoluteHttp(attrs['tvg-logo'])).toBe(true);
      expect(isAbsoluteHttp(entries[i + 1]!)).toBe(true);
      expect(entries[i + 1]).toMatch(/^http:\/\/10\.1\.2\.3:8080\/live\/[a-z0-9-]+\/master\.m3u8$/);
    }
    expect(numbers).toEqual(['3', '8', '107']);
    // G8 has no logo: the attribute is absent rather than empty.
    expect(entries[2]).not.toContain('tvg-logo');
  });

  it('uses the XMLTV channel ids as tvg-id, so every channel finds its guide', () => {
    const playlist = parse(renderM3u({ channels, baseUrl: BASE_URL }));
    const xml = renderXmltv({
      channels,
      days: g3Days(),
      lessons: LESSONS,
      generatedAt: GENERATED_AT,
      baseUrl: BASE_URL,
    });
    const xmltvIds = [...xml.matchAll(/<channel id="([^"]+)">/g)].map((m) => m[1]);
    expect(playlist.items.map((i) => i.tvg.id).sort()).toEqual(xmltvIds.sort());
  });

  it('keeps values parseable when names contain quotes, commas and line breaks', () => {
    const awkward = { ...CHANNEL_G3, name: { zh: '三年级 "特别", 频道\n第二行' } };
    const text = renderM3u({ channels: [awkward], baseUrl: BASE_URL });
    const extinf = text.split('\n')[1]!;
    const attrs = kodiAttributes(extinf);
    expect(attrs['tvg-name']).toBe('三年级 \u201D特别\u201D, 频道 第二行');
    expect(text.split('\n')).toHaveLength(4);
    expect(parse(text).items[0]!.url).toBe(`${BASE_URL}/live/g3/master.m3u8`);
  });

  it('refuses a relative base URL or a channel number that is not a whole number', () => {
    expect(() => renderM3u({ channels, baseUrl: '/aerial' })).toThrow(/baseUrl must be an absolute/);
    expect(() => renderM3u({ channels: [{ ...CHANNEL_G3, number: 3.5 }], baseUrl: BASE_URL })).toThrow(
      /channel g3: number/,
    );
  });
});
