/**
 * Launch options from the page URL (an operator's portal can deep-link the app with them):
 * `api` (origin base URL, default the page's origin), `keys` (JSON key-map overrides, see keys/key-map.ts),
 * `w` (1920 or 1280: the design is 1920×1080 and scales; default from the window height).
 */
import { resolveKeyMap, type KeyMap } from './keys/key-map.ts';

export interface LaunchOptions {
  apiBaseUrl: string;
  keyMap: KeyMap;
  /** Device screen width: 1920 (1080p) or 1280 (720p). */
  screenWidth: 1920 | 1280;
  /** Why an option was ignored (shown once in the log, the app still starts). */
  warnings: string[];
}

export function parseLaunchOptions(search: string, pageOrigin: string, windowHeight: number): LaunchOptions {
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  let keyMap = resolveKeyMap();
  const keys = params.get('keys');
  if (keys) {
    try {
      keyMap = resolveKeyMap(JSON.parse(keys));
    } catch (error) {
      warnings.push(`keys: ${(error as Error).message}; using the default key map`);
    }
  }
  const api = params.get('api');
  let apiBaseUrl = pageOrigin;
  if (api) {
    if (/^https?:\/\/[^/\s]+/.test(api)) apiBaseUrl = api.replace(/\/+$/, '');
    else warnings.push(`api: '${api}' is not an http(s) URL; using ${pageOrigin}`);
  }
  const w = params.get('w');
  const screenWidth = w === '1280' ? 1280 : w === '1920' ? 1920 : windowHeight <= 720 ? 1280 : 1920;
  return { apiBaseUrl, keyMap, screenWidth, warnings };
}
