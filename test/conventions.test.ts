import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envVars } from '../src/config/configSchema.js';
import { repoRoot } from './setup/spawnProcess.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('configuration boundary', () => {
  it('only src/config reads process.env', () => {
    const offenders = sourceFiles(join(repoRoot, 'src'))
      .filter((path) => !relative(repoRoot, path).startsWith('src/config/'))
      .filter((path) => /process\.env\b/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(repoRoot, path));
    expect(offenders).toEqual([]);
  });
});

describe('README', () => {
  it('documents every environment variable the config reads', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const missing = envVars.map((v) => v.name).filter((name) => !readme.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });
});
