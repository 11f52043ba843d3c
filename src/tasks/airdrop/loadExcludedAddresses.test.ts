import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { thrown } from '../../../test/setup/thrown.js';
import { loadExcludedAddresses } from './loadExcludedAddresses.js';

const dir = mkdtempSync(join(tmpdir(), 'chaingnn-exclusions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const a = `0x${'a'.repeat(40)}`;
const b = `0x${'b'.repeat(40)}`;
const c = `0x${'c'.repeat(40)}`;
const checksummed = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const exclusions = (addresses: string[], lists: string[]) => ({
  exclusions: { addresses, lists, contracts: true },
});

describe('loadExcludedAddresses', () => {
  it('reads plain and CSV lists (header optional), lower-cased, each with where it was first listed', () => {
    const plain = write('plain.txt', `${b}\r\n\n# team wallets\n${checksummed}\n`);
    const csv = write(
      'cex.csv',
      `address,label\n"${c.toUpperCase().replace('0X', '0x')}",binance\n${b},dup\n`,
    );
    const excluded = loadExcludedAddresses(exclusions([a], [plain, csv]));
    expect([...excluded]).toEqual([
      [a, 'exclusions.addresses'],
      [b, `${plain}:1`],
      [checksummed.toLowerCase(), `${plain}:4`],
      [c, `${csv}:2`],
    ]);
  });

  it('reads a CSV without a header, and an empty list', () => {
    const csv = write('noheader.csv', `${a};x\n${b}\tlabel\n`);
    const empty = write('empty.csv', '\n');
    expect([...loadExcludedAddresses(exclusions([], [csv, empty])).keys()]).toEqual([a, b]);
  });

  it('names the path of a missing list', () => {
    const path = join(dir, 'missing.csv');
    const error = thrown(() => loadExcludedAddresses(exclusions([], [path])));
    expect(error.code).toBe('EXCLUSION_LIST_NOT_FOUND');
    expect(error.shortMessage).toBe(`Exclusion list not found: ${path}`);
    expect(error.details).toContain('exclusions.lists[0]');
  });

  it('names file:line and the value of every malformed address', () => {
    const bad = write('bad.csv', `address\n${a}\n0x1234,label\n${checksummed.replace('aA', 'Aa')}\nhello\n`);
    const other = write('other.txt', `${b}\n${a}z\n`);
    const error = thrown(() => loadExcludedAddresses(exclusions([], [bad, other])));
    expect(error.code).toBe('EXCLUSION_LIST_INVALID');
    expect(error.shortMessage).toBe('Exclusion lists hold 4 malformed addresses');
    expect(error.details).toContain(`${bad}:3: expected an address: "0x" and 40 hex digits, got "0x1234"`);
    expect(error.details).toContain(`${bad}:4: expected a valid EIP-55 checksum`);
    expect(error.details).toContain(`${bad}:5: expected an address: "0x" and 40 hex digits, got "hello"`);
    expect(error.details).toContain(`${other}:2: expected an address: "0x" and 40 hex digits, got "${a}z"`);
  });

  it('shows at most twenty problems and counts the rest', () => {
    const bad = write('many.txt', Array.from({ length: 25 }, (_, i) => `0x${i}`).join('\n'));
    const error = thrown(() => loadExcludedAddresses(exclusions([], [bad])));
    expect(error.shortMessage).toBe('Exclusion lists hold 25 malformed addresses');
    expect(error.details).toContain(`${bad}:20:`);
    expect(error.details).not.toContain(`${bad}:21:`);
    expect(error.details).toContain('… and 5 more');
  });
});
