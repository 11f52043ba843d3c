import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './setup/spawnProcess.js';

const run = promisify(execFile);

/** Imports `module` in a fresh node (through tsx) and reports whether TensorFlow.js was loaded. */
async function loadsTensorflow(module: string): Promise<{ engine: boolean; cjs: string[] }> {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(module)});
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ engine: '_tfengine' in globalThis, cjs: cache.filter((p) => p.includes('@tensorflow')) }));
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { engine: boolean; cjs: string[] };
}

describe('the public API (src/index.ts)', () => {
  it('does not load TensorFlow.js on import (notebooks and scripts stay light and side-effect free)', async () => {
    // The probe can tell: loading tfjs creates its global engine.
    expect((await loadsTensorflow('@tensorflow/tfjs')).engine).toBe(true);
    expect(await loadsTensorflow('./src/index.ts')).toEqual({ engine: false, cjs: [] });
  });

  it('exports what the notebooks read and draw with', async () => {
    const api = await import('../src/index.js');
    for (const name of [
      'createCommon',
      'createWarehouse',
      'queryRows',
      'getWarehouseStatus',
      'getRiskScoredSnapshots',
      'getRiskiest',
      'getRiskScores',
      'getLabelledAddresses',
      'getAirdropCampaign',
      'getAirdropTargets',
      'getPriceModelVersions',
      'getPricePredictions',
      'computePrecisionRecallCurve',
      'computeLongFlatCurve',
      'buildHistogramSvg',
      'buildLineChartSvg',
      'buildScatterSvg',
      'buildGraphSvg',
      'buildHtmlTable',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
