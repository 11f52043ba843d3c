import { describe, expect, it } from 'vitest';
import { splitStatements } from './splitStatements.js';

describe('splitStatements', () => {
  it('splits at top-level semicolons and drops comments and empty statements', () => {
    const sql = `-- a comment; not a statement
      CREATE TABLE a (x UInt8) ENGINE = Memory;
      /* block; comment */ INSERT INTO a VALUES (1);;
      SELECT 1`;
    expect(splitStatements(sql)).toEqual([
      'CREATE TABLE a (x UInt8) ENGINE = Memory',
      'INSERT INTO a VALUES (1)',
      'SELECT 1',
    ]);
  });

  it('keeps semicolons inside quoted strings and identifiers', () => {
    const sql = `SELECT 'a;b', "c;d", \`e;f\`, 'it''s; fine', 'esc\\';aped'; SELECT 2`;
    expect(splitStatements(sql)).toEqual([
      `SELECT 'a;b', "c;d", \`e;f\`, 'it''s; fine', 'esc\\';aped'`,
      'SELECT 2',
    ]);
  });

  it('refuses unterminated quotes and comments instead of guessing', () => {
    expect(() => splitStatements("SELECT 'oops")).toThrow("unterminated ' quote starting at offset 7");
    expect(() => splitStatements('SELECT 1 /* oops')).toThrow('unterminated /* comment');
  });
});
