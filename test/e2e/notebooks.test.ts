import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../setup/spawnProcess.js';
import { useTempDir } from '../setup/testWarehouse.js';

const run = promisify(execFile);
const notebooksDir = join(repoRoot, 'notebooks');
const tslab = join(notebooksDir, 'kernel', 'node_modules', '.bin', 'tslab');
const setupHint =
  'Run `npm run notebooks:setup` (Debian jupyter packages + the tslab kernel; see notebooks/README.md).';

/** The charts (SVG outputs) each notebook draws at least. */
const expectedCharts: Record<string, number> = {
  '01-warehouse-tour.ipynb': 3,
  '02-risk-scores.ipynb': 2,
  '03-sybil-clusters.ipynb': 3,
  '04-price-backtest.ipynb': 3,
};

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: Output[];
}

const text = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join('') : (value ?? '');
const readCells = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { cells: Cell[] }).cells;
const notebooks = readdirSync(notebooksDir)
  .filter((name) => name.endsWith('.ipynb'))
  .sort();

/** Debian's jupyter (what the setup installs), else one on PATH; undefined when there is none. */
async function findJupyter(): Promise<string | undefined> {
  for (const candidate of ['/usr/bin/jupyter', 'jupyter']) {
    try {
      await run(candidate, ['nbconvert', '--version']);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

describe('the notebooks as stored', () => {
  it('are the four of the issue, stored without outputs, and import only the public API', () => {
    expect(notebooks).toEqual(Object.keys(expectedCharts));
    for (const name of notebooks) {
      const cells = readCells(join(notebooksDir, name));
      const code = cells.filter((cell) => cell.cell_type === 'code');
      expect(
        code.every((cell) => (cell.outputs ?? []).length === 0 && cell.execution_count == null),
        name,
      ).toBe(true);
      const source = code.map((cell) => text(cell.source)).join('\n');
      expect(source, name).toContain("require('../src/index.ts')");
      expect(source.match(/\.\.\/src\/[\w/.]+/g), name).toEqual(['../src/index.ts']);
      expect(source, name).toContain('await warehouse.close()');
    }
  });
});

describe('the notebooks, executed headless', () => {
  const tmp = useTempDir('chaingnn-notebooks-');
  let jupyter = '';
  /** Why the notebooks cannot run here: each of their tests fails with it (a missing Jupyter is no skip). */
  let missing = '';
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    const found = await findJupyter();
    if (!found) missing = `Jupyter (nbconvert) is not installed. ${setupHint}`;
    else if (!existsSync(tslab))
      missing = `The tslab kernel is not installed (${tslab} is missing). ${setupHint}`;
    if (!found || missing) return;
    jupyter = found;
    // A kernel spec of our own, first on JUPYTER_PATH: this checkout's tslab, whatever is registered elsewhere.
    const kernelDir = join(tmp(), 'jupyter', 'kernels', 'tslab');
    mkdirSync(kernelDir, { recursive: true });
    writeFileSync(
      join(kernelDir, 'kernel.json'),
      JSON.stringify({
        argv: [tslab, 'kernel', '--config-path', '{connection_file}'],
        display_name: 'TypeScript',
        language: 'typescript',
      }),
    );
    const dataDir = join(tmp(), 'data');
    const cliEnv = { CHAINGNN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', CHAINGNN_TF_BACKEND: 'wasm' };
    const demo = await runCli(['demo', '--scale', 'small', '--epochs', '10', '--no-serve'], cliEnv);
    expect(demo.code, demo.stderr).toBe(0);
    const backtest = await runCli(['price', 'backtest', '--json'], cliEnv);
    expect(backtest.code, backtest.stderr).toBe(0);
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      JUPYTER_PATH: join(tmp(), 'jupyter'),
      CHAINGNN_DATA_DIR: dataDir,
      PYDEVD_DISABLE_FILE_VALIDATION: '1',
    };
  }, 240_000);

  it.each(notebooks)(
    '%s runs every cell without an error and draws its charts',
    async (name) => {
      if (missing) throw new Error(missing);
      const outDir = join(tmp(), 'executed');
      // --allow-errors so that a failing notebook is still written and its error can be shown below: tslab reports a
      // failing cell as stderr text (its reply carries no error name), so stderr output is what counts as an error.
      await run(
        jupyter,
        [
          'nbconvert',
          '--to',
          'notebook',
          '--execute',
          '--allow-errors',
          '--ExecutePreprocessor.kernel_name=tslab',
          '--ExecutePreprocessor.timeout=300',
          '--output-dir',
          outDir,
          join(notebooksDir, name),
        ],
        { cwd: notebooksDir, env, maxBuffer: 16 * 1024 * 1024 },
      );
      const cells = readCells(join(outDir, name)).filter((cell) => cell.cell_type === 'code');
      const failures = cells.flatMap((cell, i) =>
        (cell.outputs ?? [])
          .filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'))
          .map(
            (o) =>
              `code cell ${i + 1} (${text(cell.source).split('\n')[0]}): ${text(o.text) || JSON.stringify(o)}`,
          ),
      );
      // After a failure tslab skips the cells queued behind it: the last cell's line shows that every cell ran.
      const last = cells.at(-1)?.outputs ?? [];
      if (!last.some((o) => text(o.text).includes('Warehouse closed.')))
        failures.push('the last cell did not run');
      expect(failures, failures.join('\n')).toEqual([]);
      const charts = cells
        .flatMap((cell) => cell.outputs ?? [])
        .filter((o) => text(o.data?.['image/svg+xml']).includes('<svg'));
      expect(charts.length).toBeGreaterThanOrEqual(expectedCharts[name] ?? 1);
    },
    300_000,
  );
});
