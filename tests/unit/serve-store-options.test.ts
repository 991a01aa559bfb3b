import { describe, expect, it } from 'vitest';
import { runAerialCli } from '../helpers/run-cli.ts';

/** `aerial serve` refuses bad --store / --edge / --poll-ms values with exit 2, naming the option, before starting. */
async function serve(...args: string[]): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await runAerialCli(['--data', '/nonexistent/aerial-data', 'serve', '--port', '0', ...args]);
  return { code, stderr };
}

describe('aerial serve --store / --edge', () => {
  it.each([
    [['--edge'], /--edge needs --store/],
    [['--poll-ms', '500'], /--poll-ms is for --edge/],
    [['--edge', '--store', '/srv/aerial', '--poll-ms', 'fast'], /--poll-ms must be a whole number of milliseconds/],
    [['--edge', '--store', '/srv/aerial', '--poll-ms', '5'], /--poll-ms must be .* 100\.\.60000/],
    [['--store', 'ftp://host/x'], /--store: 'ftp:\/\/host\/x' is neither s3:\/\/bucket\/prefix nor a directory/],
    [['--edge', '--store', 's3://UPPER/x'], /--store: 's3:\/\/UPPER\/x' is not s3:\/\/bucket\[\/prefix\]/],
  ])('%j exits 2 naming what is wrong', async (args, message) => {
    const { code, stderr } = await serve(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
