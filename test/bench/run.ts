// `npm run bench`: runs every test/bench/*.bench.ts in its own process (the embedded engine binds one data
// directory per process) and passes their JSON lines through. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((filter) => name.includes(filter)))
  .sort();
let failed = 0;
for (const name of benches) {
  process.stderr.write(`# ${name}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${name}`], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed ? 1 : 0;
