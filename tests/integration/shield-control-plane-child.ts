// Child process of shield.test.ts: the control plane (`aerial serve`'s startService) on a data dir and a given
// port, with a 1 s republish guard so that a suspension switch reaches the next minute's programme in a short
// test. Prints the CLI's ready line; killed with SIGKILL by the test.
import pino from 'pino';
import { startService } from '../../scheduler/service.ts';
import { assetCatalogView } from './origin-fixtures.ts';

const [dataDir, port] = process.argv.slice(2) as [string, string];
await startService({
  dataDir,
  port: Number(port),
  host: '127.0.0.1',
  guardMs: 1_000,
  logger: pino({ level: 'warn' }),
  loadCatalog: assetCatalogView,
  announce: (line) => process.stdout.write(`${line}\n`),
});
