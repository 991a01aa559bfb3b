import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

/**
 * Where ffmpeg/ffprobe come from: `FFMPEG_PATH`/`FFPROBE_PATH`, else the first one on PATH, else the
 * binaries shipped by the `@ffmpeg-installer/ffmpeg` / `@ffprobe-installer/ffprobe` npm packages
 * (so a fresh machine needs nothing but `npm install`).
 */
export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

const require = createRequire(import.meta.url);

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** The npm ffprobe binary is sometimes unpacked without its execute bit; restore it or say why we cannot. */
function ensureExecutable(path: string, what: string): string {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    try {
      chmodSync(path, statSync(path).mode | 0o111);
      accessSync(path, constants.X_OK);
      return path;
    } catch (error) {
      throw new Error(
        `${what} at ${path} is not executable and could not be made so (${(error as Error).message}); ` +
          `run 'chmod +x ${path}' or set ${what === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH'}`,
      );
    }
  }
}

function resolveBinary(name: 'ffmpeg' | 'ffprobe', envVar: string, npmPackage: string, env: NodeJS.ProcessEnv): string {
  const fromEnv = env[envVar];
  if (fromEnv) return ensureExecutable(fromEnv, name);
  const fromPath = onPath(name, env);
  if (fromPath) return fromPath;
  let packaged: string;
  try {
    packaged = (require(npmPackage) as { path: string }).path;
  } catch (error) {
    throw new Error(`no ${name}: set ${envVar}, put ${name} on PATH, or install ${npmPackage} (${String(error)})`);
  }
  return ensureExecutable(packaged, name);
}

let cached: MediaBinaries | undefined;

export function mediaBinaries(env: NodeJS.ProcessEnv = process.env): MediaBinaries {
  if (env === process.env && cached) return cached;
  const found = {
    ffmpeg: resolveBinary('ffmpeg', 'FFMPEG_PATH', '@ffmpeg-installer/ffmpeg', env),
    ffprobe: resolveBinary('ffprobe', 'FFPROBE_PATH', '@ffprobe-installer/ffprobe', env),
  };
  if (env === process.env) cached = found;
  return found;
}
