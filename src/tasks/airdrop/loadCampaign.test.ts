import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { thrown } from '../../../test/setup/thrown.js';
import { loadCampaign } from './loadCampaign.js';

const dir = mkdtempSync(join(tmpdir(), 'chaingnn-campaign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const campaign = {
  id: 'quest-season-1',
  chainId: 31337,
  snapshotBlock: 2100,
  token: { symbol: 'SIM', decimals: 2 },
  budget: '10.25',
  allocation: { rule: 'flat' },
  exclusions: { lists: ['lists/team.csv'] },
};

function write(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('loadCampaign', () => {
  it('reads a campaign file, resolving relative exclusion lists against its directory', () => {
    const path = write('sub/quest.json', `\uFEFF${JSON.stringify(campaign, null, 2)}`);
    const loaded = loadCampaign(path);
    expect(loaded.budget).toBe(1025n);
    expect(loaded.exclusions.lists).toEqual([join(dir, 'sub/lists/team.csv')]);
  });

  it('names the path of a missing file', () => {
    const error = thrown(() => loadCampaign(join(dir, 'nope.json')));
    expect(error.code).toBe('CAMPAIGN_NOT_FOUND');
    expect(error.shortMessage).toBe(`Campaign file not found: ${join(dir, 'nope.json')}`);
  });

  it('refuses a directory', () => {
    expect(thrown(() => loadCampaign(dir)).shortMessage).toContain(dir);
  });

  it('names the file, line and column of broken JSON and shows the line', () => {
    const cases: [string, number, number][] = [
      ['{\n  "id": "q",\n  "chainId": ,\n}', 3, 14],
      ['{\n  "id": "q",\n  "budget": "5",\n}\n', 4, 1],
      ['{\n  "id": "q"\n  "chainId": 1\n}', 3, 3],
      ['{\n  // a comment\n  "id": "q"\n}', 2, 3],
      ['{ "id": "q", "tags": [1, 2', 1, 27],
      ['{ "id": \'q\' }', 1, 9],
      ['{ "id": "q" } x', 1, 15],
      ['{ "n": 01 }', 1, 9],
      ['{ "s": "bad \\x escape" }', 1, 14],
      ['', 1, 1],
    ];
    for (const [text, line, column] of cases) {
      const path = write('broken.json', text);
      const error = thrown(() => loadCampaign(path));
      expect(error.code).toBe('CAMPAIGN_INVALID');
      expect(error.shortMessage, text).toBe(
        `Campaign file ${path} is not valid JSON (line ${line}, column ${column})`,
      );
      const shown = text.split('\n')[line - 1]!;
      expect(error.details).toContain(`  ${shown}\n  ${' '.repeat(column - 1)}^`);
    }
  });

  it('reports schema problems naming the file', () => {
    const path = write('bad.json', JSON.stringify({ ...campaign, budget: '1.255', seed: 0.5 }));
    const error = thrown(() => loadCampaign(path));
    expect(error.code).toBe('CAMPAIGN_INVALID');
    expect(error.shortMessage).toBe(`Invalid campaign ${path}: 2 problems`);
    expect(error.details).toContain('seed: expected an integer, got 0.5');
    expect(error.details).toContain(
      'budget: expected at most 2 fraction digits (token.decimals is 2), got "1.255"',
    );
  });
});
