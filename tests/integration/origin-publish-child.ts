// Child process of origin-publish-reach.test.ts: a second process switching a suspension order on the same
// data dir (its own SQLite connection), as the admin API of another origin process would.
import { liftSuspension, saveSuspension } from '../../scheduler/admin/suspension-switch.ts';
import { openDb } from '../../scheduler/store/db.ts';
import { assetCatalogView } from './origin-fixtures.ts';

const [dataDir, action, argument, nowMs] = process.argv.slice(2) as [string, 'save' | 'lift', string, string];
const db = openDb(dataDir);
const env = { db, loadCatalog: () => assetCatalogView(db), guardMs: 5_000 };
db.transaction(() =>
  action === 'save'
    ? saveSuspension(env, JSON.parse(argument), Number(nowMs))
    : liftSuspension(env, argument, Number(nowMs)),
)();
db.close();
process.stdout.write('published\n');
