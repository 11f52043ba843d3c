import type { DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Bytes a parsed document holds per lexical token: the token object and its share of the AST nodes. */
const bytesPerToken = 150;

/**
 * Apollo's cache of parsed and validated documents (keyed by the query's hash), bounded by an estimate of the
 * memory each holds. Apollo's default store sizes every new document by serializing it to JSON: with literal
 * arguments each request is a new document, and that serialization was 13% of a single lookup's CPU.
 */
export function createDocumentStore(maxBytes = 30 * 2 ** 20): DocumentStore {
  const cache = new LRUCache<string, DocumentNode>({
    maxSize: maxBytes,
    sizeCalculation: estimateDocumentBytes,
  });
  return {
    async get(key) {
      return cache.get(key);
    },
    async set(key, document) {
      cache.set(key, document);
    },
    async delete(key) {
      return cache.delete(key);
    },
  };
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
