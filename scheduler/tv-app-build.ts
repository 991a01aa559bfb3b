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
export function ensureTvAppBuilt(log: (line: string) => void): Promise<'present' | 'built' | 'unavailable'> {
  return ensureViteAppBuilt({ name: 'TV app', path: '/tv/', config: TV_APP_CONFIG, distIndex: TV_APP_DIST_INDEX }, log);
}

/** Builds a Vite app (config file → the dist directory holding `distIndex`) unless its index.html exists. */
export async function ensureViteAppBuilt(
  app: { name: string; path: string; config: string; distIndex: string },
  log: (line: string) => void,
): Promise<'present' | 'built' | 'unavailable'> {
  if (existsSync(app.distIndex)) return 'present';
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    log(
      `${app.name}: not built and vite is not installed (npm install without --omit=dev); ${app.path} will answer 404`,
    );
    return 'unavailable';
  }
  log(
    `${app.name}: building ${app.distIndex.replace(REPO_ROOT, '').replace(/\/index\.html$/, '')} (first start only)…`,
  );
  await vite.build({ configFile: app.config, logLevel: 'warn' });
  return 'built';
}
