/**
 * Launch options from the page URL (an operator's portal can deep-link the app with them):
 * `api` (origin base URL, default the page's origin), `keys` (JSON key-map overrides, see keys/key-map.ts),
 * `w` (1920 or 1280: the design is 1920×1080 and scales; default from the window height),
 * `render` (720 or 1080: the height the WebGL canvas is drawn at; default 720, stretched to the screen).
 */
import { resolveKeyMap, type KeyMap } from './keys/key-map.ts';

export interface LaunchOptions {
  apiBaseUrl: string;
  keyMap: KeyMap;
  /** Device screen width: 1920 (1080p) or 1280 (720p). */
  screenWidth: 1920 | 1280;
  /**
   * Height of the canvas backing store, never above the screen's. Set-top box GPUs (and software GL) pay
   * per pixel for every frame, so by default a 1080p screen is drawn at 720p and scaled up (2.25× fewer pixels).
   */
  renderHeight: 1080 | 720;
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
  const render = params.get('render');
  if (render !== null && render !== '720' && render !== '1080')
    warnings.push(`render: '${render}' is not 720 or 1080; using 720`);
  const screenHeight = screenWidth === 1920 ? 1080 : 720;
  const renderHeight = render === '1080' && screenHeight === 1080 ? 1080 : 720;
  return { apiBaseUrl, keyMap, screenWidth, renderHeight, warnings };
}
