import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What `npm ci --omit=dev` installs, built without the network: the repository without tests/bench, plus the
// packages package-lock.json marks as not dev-only, hard-linked (else copied) from this checkout's node_modules.
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const NOT_SHIPPED = new Set(['node_modules', '.git', 'tests', 'bench', 'data', 'dist', 'coverage']);
const PRODUCTION_SOURCE_DIRS = ['scheduler', 'playlists', 'packaging'];

interface LockEntry {
  dev?: boolean;
}

/** Lockfile paths (`node_modules/a`, `node_modules/a/node_modules/b`) of the production closure. */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const paths = Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev)
    .map(([path]) => path)
    .sort();
  // A nested package comes along with its parent's directory.
  return paths.filter((path) => !paths.some((other) => path !== other && path.startsWith(`${other}/`)));
}

function buildProductionCopy(root: string): void {
  cpSync(REPO, root, {
    recursive: true,
    filter: (source) => {
      const rel = relative(REPO, source);
      return !rel.split('/').some((part) => NOT_SHIPPED.has(part));
    },
  });
  const installed = realpathSync(join(REPO, 'node_modules'));
  for (const path of productionPackages()) {
    const from = join(installed, path.slice('node_modules/'.length));
    if (!existsSync(from)) continue; // an optional package for another platform
    const to = join(root, path);
    mkdirSync(dirname(to), { recursive: true });
    // Hard links are instant; across file systems (the temp dir elsewhere) fall back to a copy.
    let copy = spawnSync('cp', ['-al', from, to], { encoding: 'utf8' });
    if (copy.status !== 0) {
      rmSync(to, { recursive: true, force: true });
      copy = spawnSync('cp', ['-a', from, to], { encoding: 'utf8' });
    }
    if (copy.status !== 0) throw new Error(`cp -a ${from}: ${copy.stderr}`);
  }
}

function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(root, dir, file));
}

function runNode(cwd: string, script: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`aerial serve exited with ${code} before listening:\n${output}`)));
  });
}

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'aerial-production-'));
  buildProductionCopy(root);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a production install (dependencies only)', () => {
  it('leaves the devDependencies out, so a production import of one would fail', () => {
    expect(existsSync(join(root, 'node_modules', 'hls-parser'))).toBe(true);
    const dev = runNode(root, "await import('vitest');");
    expect(dev.status).not.toBe(0);
    expect(dev.output).toContain("Cannot find package 'vitest'");
  });

  it('resolves every import of every production module', () => {
    const files = PRODUCTION_SOURCE_DIRS.flatMap((dir) => sourceFiles(root, dir));
    expect(files.length).toBeGreaterThan(50);
    const run = runNode(
      root,
      `import { register } from 'tsx/esm/api';
       register();
       for (const file of ${JSON.stringify(files)}) await import(file);`,
    );
    expect(run.output).toBe('');
    expect(run.status).toBe(0);
  });

  it('runs `aerial serve` on a data directory without a sample and answers /healthz', async () => {
    // No database, no channels, no lessons: only the (empty) media directory that packaging would fill.
    mkdirSync(join(root, 'data', 'media'), { recursive: true });
    const child = spawn(
      process.execPath,
      ['bin/aerial.js', '--data', join(root, 'data'), 'serve', '--port', '0', '--host', '127.0.0.1'],
      { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await waitForUrl(child);
      const health = await fetch(`${url}/healthz`);
      const report = (await health.json()) as { status: string; checks: { name: string; ok: boolean }[] };
      expect(report.checks.filter((check) => !check.ok)).toEqual([]);
      expect(health.status).toBe(200);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});
