import { createHash } from 'node:crypto';
import { type DocumentNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createDocumentStore, estimateDocumentBytes } from './createDocumentStore.js';

const lookup = (address: string) => `{ address(address: "${address}") { risk { score } } }`;

describe('estimateDocumentBytes', () => {
  it('counts the source text and each token, comments included', () => {
    const plain = parse('{ a }');
    // <SOF> { a } <EOF>: five tokens, five characters.
    expect(estimateDocumentBytes(plain)).toBe(5 + 5 * 150);
    const commented = parse(`{ a } # ${'c'.repeat(1000)}`);
    expect(estimateDocumentBytes(commented)).toBe(1008 + 6 * 150);
  });

  it('grows with the document, and falls back to the JSON length without locations', () => {
    const small = estimateDocumentBytes(parse(lookup('0x01')));
    const nested = estimateDocumentBytes(parse('{ a { b { c { d { e { f } } } } } }'));
    expect(nested).toBeGreaterThan(small);
    const bare = parse('{ a { b } }', { noLocation: true });
    expect(estimateDocumentBytes(bare)).toBe(JSON.stringify(bare).length);
  });
});

describe('createDocumentStore', () => {
  // Apollo's keys: a schema hash, ':', and the SHA-256 of the query text.
  const keyOf = (text: string) => `schema:${createHash('sha256').update(text).digest('hex')}`;
  const documents = ['0x01', '0x02', '0x03'].map((address) => parse(lookup(address)));
  const [a, b, c] = ['0x01', '0x02', '0x03'].map((address) => keyOf(lookup(address))) as [
    string,
    string,
    string,
  ];

  it('admits a document only when its query text comes a second time', async () => {
    const store = createDocumentStore();
    await store.set(a, documents[0]!);
    expect(await store.get(a)).toBeUndefined();
    await store.set(b, documents[1]!);
    await store.set(a, documents[0]!);
    expect(await store.get(a)).toBe(documents[0]);
    expect(await store.get(b)).toBeUndefined();
  });

  it('keeps documents until their estimated bytes exceed its bound, then drops the least recently used', async () => {
    const store = createDocumentStore(2 * estimateDocumentBytes(documents[0]!));
    const admit = async (key: string, document: DocumentNode) => {
      await store.set(key, document);
      await store.set(key, document);
    };
    await admit(a, documents[0]!);
    await admit(b, documents[1]!);
    expect(await store.get(a)).toBe(documents[0]);
    // b is now the least recently used: the third document pushes it out.
    await admit(c, documents[2]!);
    expect(await store.get(b)).toBeUndefined();
    expect(await store.get(a)).toBe(documents[0]);
    expect(await store.get(c)).toBe(documents[2]);
    expect(await store.delete(a)).toBe(true);
    expect(await store.get(a)).toBeUndefined();
  });

  it('returns an offered document to the next get of its query hash only, and does not keep it', async () => {
    const store = createDocumentStore();
    const hashOf = (key: string) => key.slice(key.indexOf(':') + 1);
    store.offer(hashOf(a), documents[0]!);
    expect(store.hasQuery(hashOf(a))).toBe(false);
    expect(await store.get(a)).toBe(documents[0]);
    expect(await store.get(a)).toBeUndefined();
    await store.set(b, documents[1]!);
    await store.set(b, documents[1]!);
    expect(store.hasQuery(hashOf(b))).toBe(true);
    // A key under another schema hash names the same query: one store serves one schema.
    expect(await store.get(`other:${hashOf(b)}`)).toBe(documents[1]);
  });
});
