import { catalogExportCommand, catalogImportCommand } from './catalog-command.ts';
import type { Command } from './command.ts';
import { buildCommand } from './build-command.ts';
import { channelsImportCommand, channelsListCommand } from './channels-command.ts';
import { packageCommand } from './package-command.ts';
import { sampleCommand, startCommand } from './sample-command.ts';
import { serveCommand } from './serve-command.ts';
import { storeGcCommand } from './store-command.ts';
import { timetablePdfCommand } from './timetable-command.ts';
import { workerCommand } from './worker-command.ts';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './token-command.ts';

/** Every CLI command, in the order `aerial --help` lists them. */
export const commands: Command[] = [
  catalogImportCommand,
  catalogExportCommand,
  packageCommand,
  channelsImportCommand,
  channelsListCommand,
  buildCommand,
  sampleCommand,
  startCommand,
  serveCommand,
  workerCommand,
  storeGcCommand,
  timetablePdfCommand,
  tokenCreateCommand,
  tokenListCommand,
  tokenRevokeCommand,
];
