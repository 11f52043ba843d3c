import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NonRetryableError } from '../../internal/errors.js';
import { type Campaign, parseCampaign } from './campaignSchema.js';

/**
 * Reads and checks a campaign file (JSON): a missing file, broken JSON (with its line and column) and every schema
 * problem get a NonRetryableError naming the file. Relative exclusion lists resolve against the file's directory.
 */
export function loadCampaign(path: string): Campaign {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new NonRetryableError(`Campaign file not found: ${file}`, {
        code: 'CAMPAIGN_NOT_FOUND',
        details: 'Expected a JSON campaign file such as campaigns/quest-season-1.json.',
        cause,
      });
    }
    throw new NonRetryableError(`Cannot read campaign file ${file}`, {
      code: code === 'EISDIR' ? 'CAMPAIGN_INVALID' : 'CAMPAIGN_UNREADABLE',
      details: `${(cause as Error).message}\nExpected a readable JSON campaign file.`,
      cause,
    });
  }
  return parseCampaign(parseJson(text.replace(/^\uFEFF/, ''), file), file, { baseDir: dirname(file) });
}

/** `JSON.parse`, failing with the file, the line and column of the first error, and that line with a caret. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const offset = findJsonError(text);
    if (offset === undefined) {
      throw new NonRetryableError(`Campaign file ${file} is not valid JSON`, {
        code: 'CAMPAIGN_INVALID',
        details: (cause as Error).message,
        cause,
      });
    }
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const lineEnd = text.indexOf('\n', offset);
    const line = text.slice(0, offset).split('\n').length;
    const column = offset - lineStart + 1;
    const source = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
    throw new NonRetryableError(`Campaign file ${file} is not valid JSON (line ${line}, column ${column})`, {
      code: 'CAMPAIGN_INVALID',
      details: `${(cause as Error).message}\n  ${source}\n  ${' '.repeat(column - 1)}^\nExpected plain JSON (no comments or trailing commas).`,
      cause,
    });
  }
}

const numberPattern = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

/**
 * The offset of the first character at which `text` stops being JSON (its length when it ends too early). Node 20's
 * `JSON.parse` messages give a position for some errors only, so this finds it for all.
 */
function findJsonError(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at += 1;
  };
  const expect = (char: string) => {
    if (text[at] !== char) fail();
    at += 1;
  };
  const string = () => {
    expect('"');
    while (at < text.length && text[at] !== '"') {
      const code = text.charCodeAt(at);
      if (code < 0x20) fail();
      if (text[at] === '\\') {
        at += 1;
        if (text[at] === 'u') {
          for (let k = 0; k < 4; k += 1) {
            at += 1;
            if (!/[0-9a-fA-F]/.test(text[at] ?? '')) fail();
          }
          at += 1;
        } else if ('"\\/bfnrt'.includes(text[at] ?? 'x')) at += 1;
        else fail();
      } else at += 1;
    }
    expect('"');
  };
  const number = () => {
    numberPattern.lastIndex = at;
    if (!numberPattern.test(text)) fail();
    at = numberPattern.lastIndex;
  };
  /** The members of an object or the items of an array, from after the opening bracket through the closing one. */
  const members = (close: string, member: () => void) => {
    space();
    if (text[at] === close) {
      at += 1;
      return;
    }
    for (;;) {
      member();
      space();
      if (text[at] !== ',') break;
      at += 1;
    }
    expect(close);
  };
  const value = () => {
    space();
    const char = text[at] ?? '';
    if (char === '{' || char === '[') {
      at += 1;
      if (char === '[') members(']', value);
      else
        members('}', () => {
          space();
          string();
          space();
          expect(':');
          value();
        });
    } else if (char === '"') string();
    else if (char === '-' || (char >= '0' && char <= '9')) number();
    else {
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, at));
      if (literal === undefined) fail();
      at += literal!.length;
    }
  };
  try {
    value();
    space();
    if (at < text.length) fail();
  } catch (offset) {
    // Anything else (a stack overflow in absurdly deep nesting): no position.
    return typeof offset === 'number' ? Math.min(offset, text.length) : undefined;
  }
  return undefined;
}
