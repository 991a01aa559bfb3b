/**
 * Small formatting helpers shared by the HLS renderers (RFC 8216). Pure and allocation-light: they
 * run on the hot path of every live playlist request.
 *
 *   isoInstant(ms)          → "2024-03-01T06:00:00.000Z" (EXT-X-PROGRAM-DATE-TIME, START-DATE)
 *   decimalSeconds(s)       → "6.016" (EXTINF, DURATION: three decimals, fixed, so bytes are stable)
 *   msAsSeconds(ms)         → "1200.040" (exact for integer ms, no float drift)
 *   quotedString(text)      → "\"…\"" with the characters RFC 8216 forbids inside a quoted-string replaced
 */

/** ISO 8601 UTC with milliseconds; the only date format we emit. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** Seconds with exactly three decimals (EXTINF / DURATION). */
export function decimalSeconds(seconds: number): string {
  return seconds.toFixed(3);
}

/** Integer milliseconds as seconds with three decimals, by integer arithmetic (no float rounding). */
export function msAsSeconds(ms: number): string {
  const whole = Math.trunc(ms / 1000);
  const rest = ms - whole * 1000;
  return `${whole}.${String(rest).padStart(3, '0')}`;
}

/**
 * A quoted-string attribute value. RFC 8216 §4.2: it MUST NOT contain a double quote, CR or LF. HLS has
 * no escapes, so we replace: double quotes by typographic ones (“…”), and apostrophes by ’ too, because
 * common attribute-list parsers (hls-parser among them) also treat ' as a quote and mis-split on it.
 */
export function quotedString(text: string): string {
  let open = true;
  const safe = text
    .replace(/"/g, () => {
      open = !open;
      return open ? '”' : '“';
    })
    .replace(/'/g, '’')
    .replace(/[\r\n]+/g, ' ');
  return `"${safe}"`;
}

/** Join a base URL ("/media/", "https://cdn/x") and a relative path with exactly one slash. */
export function joinUrl(base: string, path: string): string {
  return base.endsWith('/') ? base + path : `${base}/${path}`;
}

/** Rounded the way RFC 8216 §4.3.3.1 compares EXTINF with EXT-X-TARGETDURATION. */
export function roundedSeconds(seconds: number): number {
  return Math.round(seconds);
}
