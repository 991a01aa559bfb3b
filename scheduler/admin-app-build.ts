import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureViteAppBuilt } from './tv-app-build.ts';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const ADMIN_APP_CONFIG = join(REPO_ROOT, 'admin-app', 'vite.config.js');
export const ADMIN_APP_DIST_INDEX = join(REPO_ROOT, 'admin-app', 'dist', 'index.html');

/**
 * `npm start` on a fresh clone builds the broadcaster console once, like the TV app (later starts reuse
 * `admin-app/dist`; `npm run build:admin` rebuilds after changes).
 */
export function ensureAdminAppBuilt(log: (line: string) => void): Promise<'present' | 'built' | 'unavailable'> {
  return ensureViteAppBuilt(
    { name: 'console', path: '/admin/', config: ADMIN_APP_CONFIG, distIndex: ADMIN_APP_DIST_INDEX },
    log,
  );
}
