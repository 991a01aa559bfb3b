// Child process of shield.test.ts: the control plane (`aerial serve`'s startService) on a data dir and a given
// port, with a 1 s republish guard so that a suspension switch reaches the next minute's programme in a short
// test, publishing to the store named by an optional third argument (as `--store`: a directory or s3://bucket/prefix,
// with the AWS_* variables of its environment). Prints the CLI's ready line; killed with SIGKILL by the test.
import pino from 'pino';
import { openObjectStore } from '../../scheduler/object-store/open-store.ts';
import { startService } from '../../scheduler/service.ts';
import { assetCatalogView } from './origin-fixtures.ts';

const [dataDir, port, store] = process.argv.slice(2) as [string, string, string | undefined];
await startService({
  dataDir,
  store: openObjectStore(store, dataDir, process.env),
  port: Number(port),
  host: '127.0.0.1',
  guardMs: 1_000,
  logger: pino({ level: 'warn' }),
  loadCatalog: assetCatalogView,
  announce: (line) => process.stdout.write(`${line}\n`),
});
