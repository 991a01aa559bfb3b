import { createBuiltAppFileHandler } from './tv-app-files.ts';

/**
 * The built broadcaster console (`admin-app/dist`) under /admin/: the same safe static serving as the TV app
 * (hashed assets cached for a year, index.html revalidated). Screens are addressed by the URL hash, so the
 * origin needs no history fallback.
 */
export function createAdminAppFileHandler(distDir: string) {
  return createBuiltAppFileHandler(distDir, { name: 'the console', build: 'run `npm run build:admin`' });
}
