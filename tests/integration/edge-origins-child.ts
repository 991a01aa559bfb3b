// Child process of edge-origins.test.ts: a control plane (`control DATA_DIR STORE CLOCK_FILE`) or an edge origin
// (`edge - STORE CLOCK_FILE`), as `aerial serve [--edge] --store STORE` starts them, except for the clock: every
// process reads "now" from CLOCK_FILE, which the test writes, so that they answer at the very same instant.
// STORE is a directory or s3://bucket/prefix (the AWS_* variables come from the test).
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { startEdgeService } from '../../scheduler/edge-service.ts';
import { openObjectStore } from '../../scheduler/object-store/open-store.ts';
import { closeOnSignals, startService } from '../../scheduler/service.ts';
import { assetCatalogView } from './origin-fixtures.ts';

const [role, dataDir, storeUrl, clockFile] = process.argv.slice(2) as [string, string, string, string];
const clock = () => Number(readFileSync(clockFile, 'utf8'));
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
const announce = (line: string) => process.stdout.write(`${line}\n`);
const store = openObjectStore(storeUrl, dataDir, process.env);
const running =
  role === 'edge'
    ? await startEdgeService({ store, port: 0, host: '127.0.0.1', clock, logger, pollMs: 200, announce })
    : await startService({
        dataDir,
        store,
        port: 0,
        host: '127.0.0.1',
        clock,
        logger,
        loadCatalog: assetCatalogView,
        announce,
      });
await closeOnSignals(running, logger);
