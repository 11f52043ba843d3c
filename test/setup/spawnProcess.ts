import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A finished child process: exit code, signal and everything it printed. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running child process whose output is collected as it arrives. */
export interface RunningProcess {
  child: ChildProcess;
  /** Resolves when stdout has printed a line equal to `line` (rejects if the process exits first). */
  waitForLine(line: string): Promise<void>;
  /** Resolves when the process exits. */
  exited: Promise<ProcessResult>;
}

/** Starts `node --import tsx <script> ...args` from the repository root. */
export function startTsProcess(
  script: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): RunningProcess {
  return startNode(['--import', 'tsx', script, ...args], env);
}

/** Starts `node <args>` from the repository root with only PATH, HOME and `env` in its environment. */
function startNode(args: readonly string[], env: NodeJS.ProcessEnv): RunningProcess {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const lines = stdout.split('\n');
    for (const waiter of [...waiters]) {
      if (lines.includes(waiter.line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<ProcessResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    exited,
    waitForLine(line) {
      if (stdout.split('\n').includes(line)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiters.push({ line, resolve });
        void exited.then((result) =>
          reject(new Error(`process exited (${result.code}) before printing "${line}":\n${result.stderr}`)),
        );
      });
    },
  };
}

/** Starts the `chaingnn` executable (the package's bin) with the given environment. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  return startNode(['src/cli/bin.mjs', ...args], env);
}

/** Runs the `chaingnn` executable to completion with the given environment. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return startCli(args, env).exited;
}
