import Blits from '@lightningjs/blits';
import { appState } from '@lightningjs/blits/plugins';
import App from './App.js';
import { services } from './services.ts';
import { toBlitsKeymap } from './keys/key-map.ts';
import { parseLaunchOptions } from './launch-options.ts';
import { SCREEN_H, SCREEN_W } from './theme.ts';
// Vite emits the font with a content hash; the URL follows the /tv/ base.
import fontUrl from '../../assets/fonts/AerialSans-Regular.woff2?url';

declare const __DEV__: boolean;

const options = parseLaunchOptions(location.search, location.origin, window.innerHeight);
for (const warning of options.warnings) console.warn(`[aerial] ${warning}`);
services.configure(options.apiBaseUrl, options.keyMap);
// The guide request goes out now, in parallel with the renderer's start-up and the font download.
services.prefetch();

const settings = services.persisted.settings();
Blits.Plugin(appState, {
  language: settings.language,
  subtitles: settings.subtitles,
  myGrade: settings.myGrade ?? 0,
  /** True while the origin does not answer; the app shows the cached guide and keeps retrying. */
  offline: false,
  hasCachedGuide: false,
  notice: null as null | { key: string; title: string; text: string },
});

Blits.Launch(App, 'app', {
  w: SCREEN_W,
  h: SCREEN_H,
  pixelRatio: options.screenWidth / SCREEN_W,
  // Backing-store scale relative to the screen: 2/3 draws a 1080p screen at 720p (see launch-options.ts).
  renderQuality: options.renderHeight / (options.screenWidth === 1920 ? 1080 : 720),
  debugLevel: __DEV__ ? 1 : 0,
  inspector: __DEV__,
  defaultFont: 'AerialSans',
  fonts: [{ family: 'AerialSans', type: 'web', file: fontUrl }],
  keymap: toBlitsKeymap(options.keyMap),
  // Holding a key repeats fast; the guide must keep up (see bench/tv-app.bench.ts).
  holdTimeout: 50,
  viewportMargin: 0,
  canvasColor: 'transparent',
  reactivityMode: 'Proxy',
  gpuMemory: { max: 120, target: 0.8, cleanupInterval: 5000, baseline: 25, strict: false },
});
