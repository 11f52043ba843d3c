import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { airdropCommand } from './airdrop.js';
import { apikeyCommand } from './apikey.js';
import { demoCommand } from './demo.js';
import { devnetCommand } from './devnet.js';
import { graphCommand } from './graph.js';
import { importCommand } from './import.js';
import { indexCommand } from './indexChain.js';
import { jobsCommand } from './jobs.js';
import { labelsCommand } from './labels.js';
import { migrateCommand } from './migrate.js';
import { modelsCommand } from './models.js';
import { priceCommand } from './price.js';
import { riskCommand } from './risk.js';
import { schemaCommand } from './schema.js';
import { serveCommand } from './serve.js';
import { sqlCommand } from './sql.js';
import { statusCommand } from './status.js';
import { trainCommand } from './train.js';
import { workerCommand } from './worker.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Builds the `chaingnn` command-line program with every command. */
export function buildProgram(): Command {
  return new Command('chaingnn')
    .description('On-chain graph-neural-network analytics: index EVM chains, build graphs, train, serve.')
    .version(version)
    .showHelpAfterError()
    .addCommand(migrateCommand())
    .addCommand(statusCommand())
    .addCommand(sqlCommand())
    .addCommand(schemaCommand())
    .addCommand(devnetCommand())
    .addCommand(indexCommand())
    .addCommand(importCommand())
    .addCommand(labelsCommand())
    .addCommand(graphCommand())
    .addCommand(trainCommand())
    .addCommand(modelsCommand())
    .addCommand(riskCommand())
    .addCommand(priceCommand())
    .addCommand(airdropCommand())
    .addCommand(jobsCommand())
    .addCommand(apikeyCommand())
    .addCommand(workerCommand())
    .addCommand(serveCommand())
    .addCommand(demoCommand());
}
