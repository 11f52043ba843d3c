import type { DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Bytes a parsed document holds per lexical token: the token object and its share of the AST nodes. */
const bytesPerToken = 150;
/** Slots of the filter that remembers query texts seen once (4 bytes each). */
const seenSlots = 1 << 16;

/** Apollo's document store, plus a way to hand Apollo a document validated elsewhere for one request. */
export interface OfferingDocumentStore extends DocumentStore {
  /** Whether a document of the query text with this SHA-256 (hex) is kept. */
  hasQuery(queryHash: string): boolean;
  /** Makes the next `get` of this query hash (only the next) return `document`, which must be valid. */
  offer(queryHash: string, document: DocumentNode): void;
}

/**
 * Apollo's cache of parsed and validated documents (keyed by a SHA-256 of the query text), bounded by an estimate
 * of the memory each holds, and admitting a document only when its text comes a second time. Query texts sent once
 * (a literal argument in each) would otherwise each be kept until evicted: old-generation garbage at the request
 * rate, which the garbage collector marks over the whole heap. Apollo's default store also sizes every new
 * document by serializing it to JSON (7–10 µs a document); the estimate takes 0.05 µs. Apollo's keys are a hash of
 * the schema, ':', and the query hash; one store serves one server (one schema), so it keys by the query hash
 * alone. A document offered for a query hash (validated by createShapeValidation) is returned by the next `get`
 * of it and not kept.
 */
export function createDocumentStore(maxBytes = 30 * 2 ** 20): OfferingDocumentStore {
  const cache = new LRUCache<string, DocumentNode>({
    maxSize: maxBytes,
    sizeCalculation: estimateDocumentBytes,
  });
  // Offers not yet taken (a request that fails before Apollo reads its document leaves one behind).
  const offers = new LRUCache<string, DocumentNode>({ max: 1024 });
  // Each slot holds 32 bits of the hash of the last text that fell in it; a collision only delays an admission.
  const seen = new Uint32Array(seenSlots);
  return {
    async get(key) {
      const queryHash = queryHashOf(key);
      const offered = offers.get(queryHash);
      if (offered) {
        offers.delete(queryHash);
        return offered;
      }
      return cache.get(queryHash);
    },
    async set(key, document) {
      const queryHash = queryHashOf(key);
      const hash = Number.parseInt(queryHash.slice(-12), 16);
      const slot = hash % seenSlots;
      const tag = Math.floor(hash / seenSlots) >>> 0;
      if (seen[slot] === tag) cache.set(queryHash, document);
      else seen[slot] = tag;
    },
    async delete(key) {
      return cache.delete(queryHashOf(key));
    },
    hasQuery: (queryHash) => cache.has(queryHash),
    offer(queryHash, document) {
      offers.set(queryHash, document);
    },
  };
}

/** The query hash of an Apollo document store key: what follows the schema hash and its ':'. */
function queryHashOf(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

/**
 * The memory a parsed document keeps, estimated: its source text (each node's location refers to it) and
 * bytesPerToken for each token, comments included (the lexer links them all). Without locations, the length
 * of its JSON, as Apollo's default store measures.
 */
export function estimateDocumentBytes(document: DocumentNode): number {
  const loc = document.loc;
  if (!loc) return JSON.stringify(document).length;
  let tokens = 1;
  for (let token = loc.startToken; token.next && token !== loc.endToken; token = token.next) tokens += 1;
  return loc.source.body.length + tokens * bytesPerToken;
}
