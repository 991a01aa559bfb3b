import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const TV_APP_CONFIG = join(REPO_ROOT, 'tv-app', 'vite.config.js');
export const TV_APP_DIST_INDEX = join(REPO_ROOT, 'tv-app', 'dist', 'index.html');

/**
 * `npm start` on a fresh clone: the origin serves the production build of the TV app at /tv/, so build
 * it once when it is missing (later starts reuse it; `npm run build:tv` rebuilds after changes).
 * Returns what happened, for the start-up log.
 */
export async function ensureTvAppBuilt(log: (line: string) => void): Promise<'present' | 'built' | 'unavailable'> {
  if (existsSync(TV_APP_DIST_INDEX)) return 'present';
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    log('TV app: not built and vite is not installed (npm install without --omit=dev); /tv/ will answer 404');
    return 'unavailable';
  }
  log('TV app: building tv-app/dist (first start only)…');
  await vite.build({ configFile: TV_APP_CONFIG, logLevel: 'warn' });
  return 'built';
}
