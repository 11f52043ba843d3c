// Runs sage_epoch.py (the PyTorch Geometric side of sageTraining.bench.ts) in a throwaway virtual environment
// outside the repository: BENCH_PYG_VENV, default <tmpdir>/chaingnn-pyg-venv, made on first use with python3 -m venv
// and pip (torch 2.13.0, the CPU build where pip finds one, and torch_geometric, pure Python, from PyPI).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const requirements = ['torch==2.13.0', 'torch_geometric==2.8.1'];
const script = fileURLToPath(new URL('sage_epoch.py', import.meta.url));

/** How PyG takes the edges: a COO edge_index (its default), or a CSR adjacency. */
export type PygWay = 'edge_index' | 'sparse';

/** A running sage_epoch.py, serving timed runs one at a time so they interleave with ours. */
export interface PygSage {
  /** torch's default thread count (one per core). */
  threads: number;
  torch: string;
  torchGeometric: string;
  /** One full-batch training epoch, or one inference of every node, of `way` on `threads` threads: its seconds. */
  time(command: 'epoch' | 'inference', way: PygWay, threads: number): Promise<number>;
  /** Lets the process end. */
  close(): void;
}

/** Starts sage_epoch.py on the graph files in `dir`; the reason instead when Python, the venv or the start fails. */
export async function startPygSage(dir: string): Promise<PygSage | { skipped: string }> {
  const venv = process.env.BENCH_PYG_VENV ?? join(tmpdir(), 'chaingnn-pyg-venv');
  const python = join(venv, 'bin', 'python');
  const ready = () => existsSync(python) && run(python, ['-c', 'import torch, torch_geometric']).status === 0;
  if (!ready()) {
    process.stderr.write(`# sageTraining: making the PyG venv in ${venv} (${requirements.join(', ')})\n`);
    const steps: [string, string[]][] = [
      ['python3', ['-m', 'venv', venv]],
      [join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...requirements]],
    ];
    for (const [command, args] of steps) {
      const result = run(command, args);
      if (result.status !== 0)
        return { skipped: `${command} ${args.join(' ')} failed: ${lastLine(result.output)}` };
    }
    if (!ready()) return { skipped: `torch and torch_geometric do not import in ${venv}` };
  }
  const child = spawn(python, [script, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.on('error', (error) => {
    stderr += error.message;
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`sage_epoch.py ended: ${lastLine(stderr)}`);
    return JSON.parse(value as string) as Record<string, unknown>;
  };
  let info: Record<string, unknown>;
  try {
    info = await next();
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  return {
    threads: info.threads as number,
    torch: info.torch as string,
    torchGeometric: info.torch_geometric as string,
    time: async (command, way, threads) => {
      child.stdin.write(`${command} ${way} ${threads}\n`);
      return (await next()).seconds as number;
    },
    close: () => child.stdin.end(),
  };
}

/** Runs a command to completion; its status (null when it could not start) and everything it printed. */
function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}\n${result.error?.message ?? ''}`;
  return { status: result.error === undefined ? result.status : null, output };
}

/** The last line of a failed command's output, to say why in one line. */
function lastLine(output: string): string {
  return output.trim().split('\n').at(-1) || 'no output';
}
