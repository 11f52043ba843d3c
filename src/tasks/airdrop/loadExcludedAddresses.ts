import { readFileSync } from 'node:fs';
import { NonRetryableError } from '../../internal/errors.js';
import { type Campaign, describeBadAddress } from './campaignSchema.js';

const maxProblemsShown = 20;

/**
 * Every address a campaign excludes by name: `exclusions.addresses` and the addresses in the `exclusions.lists`
 * files, lower-case, each mapped to where it was first listed (`exclusions.addresses` or `<file>:<line>`), for the
 * exclusion's evidence. A list file holds one address a line, or CSV whose first column is the address; an optional
 * header line (its first field not starting with 0x), blank lines and `#` comments are skipped. A missing file, or
 * malformed addresses (each named as `file:line` with its value), get a NonRetryableError.
 */
export function loadExcludedAddresses(campaign: Pick<Campaign, 'exclusions'>): Map<string, string> {
  const excluded = new Map<string, string>();
  for (const address of campaign.exclusions.addresses) excluded.set(address, 'exclusions.addresses');
  const problems: string[] = [];
  for (const [index, file] of campaign.exclusions.lists.entries()) {
    for (const { line, value } of readListFile(file, index)) {
      const problem = describeBadAddress(value);
      if (problem) problems.push(`${file}:${line}: ${problem}, got ${JSON.stringify(value)}`);
      else if (!excluded.has(value.toLowerCase())) excluded.set(value.toLowerCase(), `${file}:${line}`);
    }
  }
  if (problems.length > 0) {
    const more = problems.length - maxProblemsShown;
    throw new NonRetryableError(
      `Exclusion lists hold ${problems.length} malformed address${problems.length > 1 ? 'es' : ''}`,
      {
        code: 'EXCLUSION_LIST_INVALID',
        details: [
          ...problems.slice(0, maxProblemsShown).map((problem) => `  - ${problem}`),
          ...(more > 0 ? [`  … and ${more} more`] : []),
          'Expected one address a line, or CSV whose first column is the address (an optional header line).',
        ].join('\n'),
      },
    );
  }
  return excluded;
}

/** The first field of every line of a list file that is not blank, a comment or the header, with its line number. */
function readListFile(file: string, index: number): { line: number; value: string }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new NonRetryableError(
      missing ? `Exclusion list not found: ${file}` : `Cannot read exclusion list ${file}`,
      {
        code: missing ? 'EXCLUSION_LIST_NOT_FOUND' : 'EXCLUSION_LIST_INVALID',
        details: `exclusions.lists[${index}] in the campaign names it${missing ? '' : `: ${(cause as Error).message}`}; relative paths resolve against the campaign file's directory.`,
        cause,
      },
    );
  }
  const entries: { line: number; value: string }[] = [];
  let seenContent = false;
  for (const [i, raw] of text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const value = (line.split(/[,;\t]/, 1)[0] ?? '')
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim();
    const isHeader = !seenContent && !/^0x/i.test(value);
    seenContent = true;
    if (!isHeader) entries.push({ line: i + 1, value });
  }
  return entries;
}
