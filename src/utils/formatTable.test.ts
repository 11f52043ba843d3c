import { describe, expect, it } from 'vitest';
import { formatBytes } from './formatBytes.js';
import { formatTable } from './formatTable.js';

describe('formatTable', () => {
  it('aligns columns, right-aligns numbers, shows NULL and escapes newlines', () => {
    const text = formatTable(
      [{ name: 'address' }, { name: 'n', alignRight: true }, { name: 'note' }],
      [
        ['0xab', 12345, null],
        ['0xabcdef', 7, 'two\nlines'],
      ],
    );
    expect(text).toBe(
      [
        'address       n  note',
        '────────  ─────  ──────────',
        '0xab      12345  NULL',
        '0xabcdef      7  two\\nlines',
      ].join('\n'),
    );
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(2867)).toBe('2.8 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
  });
});
