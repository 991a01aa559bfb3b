/**
 * IPTV channel list (`/channels.m3u`) for Kodi IPTV Simple, Jellyfin, TiviMate and the like.
 *
 *   renderM3u({ channels, baseUrl, epgUrl? }): string
 *
 * - Header `#EXTM3U x-tvg-url="<epg>" url-tvg="<epg>"` (both spellings: players read one or the other);
 *   `epgUrl` defaults to `<baseUrl>/epg.xml`.
 * - Per channel, ordered by channel number: `#EXTINF:-1 tvg-id tvg-name tvg-logo tvg-chno group-title,<name>`
 *   then the absolute stream URL `<baseUrl>/live/<id>/master.m3u8`.
 * - `tvg-id` is `xmltvChannelId(id)`, the XMLTV channel id, so the guide matches without fuzzy name lookups.
 * - Kodi/Jellyfin attribute rules: every value double-quoted and non-empty (an attribute without a value is
 *   left out), no value can contain `"` or a line break (there is no escape in M3U, so they are replaced),
 *   URLs absolute, `tvg-chno` a whole number.
 *
 * Pure: no I/O, no clock reads.
 */
import { absoluteUrl, xmltvChannelId, type GuideChannel } from './guide-types.ts';

export interface M3uInput {
  channels: readonly GuideChannel[];
  /** Public base URL of the origin (configured, or from the request's host), absolute http(s). */
  baseUrl: string;
  epgUrl?: string;
}

/** M3U has no escaping: quotes would end the value and line breaks the entry, so they become look-alikes. */
function attributeValue(value: string): string {
  return value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/"/g, '\u201D')
    .trim();
}

function attributes(pairs: [string, string | undefined][]): string {
  return pairs
    .map(([key, value]) => [key, value === undefined ? '' : attributeValue(value)] as const)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => ` ${key}="${value}"`)
    .join('');
}

export function liveStreamUrl(baseUrl: string, channelId: string): string {
  return absoluteUrl(baseUrl, `/live/${encodeURIComponent(channelId)}/master.m3u8`);
}

export function renderM3u(input: M3uInput): string {
  const epgUrl = absoluteUrl(input.baseUrl, input.epgUrl ?? '/epg.xml');
  const channels = [...input.channels].sort((a, b) => a.number - b.number || a.id.localeCompare(b.id));
  for (const channel of channels) {
    if (!Number.isInteger(channel.number) || channel.number < 1) {
      throw new RangeError(
        `channel ${channel.id}: number must be a whole number ≥ 1 for tvg-chno, got ${channel.number}`,
      );
    }
  }
  const lines = [
    `#EXTM3U${attributes([
      ['x-tvg-url', epgUrl],
      ['url-tvg', epgUrl],
    ])}`,
  ];
  for (const channel of channels) {
    const info = attributes([
      ['tvg-id', xmltvChannelId(channel.id)],
      ['tvg-name', channel.name.zh],
      ['tvg-logo', channel.logo ? absoluteUrl(input.baseUrl, channel.logo) : undefined],
      ['tvg-chno', String(channel.number)],
      ['group-title', channel.group],
    ]);
    // The display name follows the last attribute's comma; a comma inside it is fine for Kodi and Jellyfin.
    lines.push(`#EXTINF:-1${info},${attributeValue(channel.name.zh) || channel.id}`);
    lines.push(liveStreamUrl(input.baseUrl, channel.id));
  }
  return `${lines.join('\n')}\n`;
}
