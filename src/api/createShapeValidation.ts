import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type GraphQLSchema,
  OverlappingFieldsCanBeMergedRule,
  parse,
  type Token,
  TokenKind,
  ValuesOfCorrectTypeRule,
  validate,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { OfferingDocumentStore } from './createDocumentStore.js';

/** The validation rules whose verdict depends on the values of literals, not only on the query's shape. */
const literalRules = [ValuesOfCorrectTypeRule, OverlappingFieldsCanBeMergedRule];
/** Token kinds whose value is a literal's: left out of a shape. */
const literalTokens = new Set<string>([
  TokenKind.STRING,
  TokenKind.BLOCK_STRING,
  TokenKind.INT,
  TokenKind.FLOAT,
]);

/**
 * An Apollo plugin that spares a new query text most of its validation when a text of the same shape passed it:
 * the same tokens but for the values of string and number literals (a lookup with the address inline, say, where
 * each request is a new text that Apollo's document cache cannot hold). Such texts parse to the same document but
 * for those values, and of the specified rules only two read them (values of the right type, fields that can
 * merge); those two run on the new text, and, when they pass, the parsed document is offered to Apollo, which then
 * neither parses nor validates it. Any other text, or one those rules refuse, goes through Apollo's whole
 * validation, with its errors. Full validation of a one-field lookup costs 180–240 µs, the two rules 20–24 µs.
 */
export function createShapeValidation(
  schema: GraphQLSchema,
  documents: OfferingDocumentStore,
  maxShapeBytes = 8 * 2 ** 20,
): ApolloServerPlugin {
  // Bounded by the shapes' length (a shape is as long as its query, up to the body limit), not their number.
  const validShapes = new LRUCache<string, true>({
    maxSize: maxShapeBytes,
    sizeCalculation: (_value, shape) => shape.length + 64,
  });
  return {
    async requestDidStart() {
      let shape: string | undefined;
      return {
        async didResolveSource({ source, queryHash }) {
          if (documents.hasQuery(queryHash)) return;
          let document: DocumentNode;
          try {
            document = parse(source);
          } catch {
            return; // Apollo reports the syntax error.
          }
          shape = shapeOf(document);
          if (
            shape !== undefined &&
            validShapes.has(shape) &&
            validate(schema, document, literalRules).length === 0
          )
            documents.offer(queryHash, document);
        },
        async validationDidStart() {
          return async (errors) => {
            if (!errors && shape !== undefined) validShapes.set(shape, true);
          };
        },
      };
    },
  };
}

/**
 * A parsed document's tokens, comments left out and literals as their kind only, one per line; undefined for a
 * document parsed without locations (it keeps no tokens).
 */
export function shapeOf(document: DocumentNode): string | undefined {
  if (!document.loc) return undefined;
  const parts: string[] = [];
  for (let token: Token | null = document.loc.startToken; token; token = token.next) {
    if (token.kind === TokenKind.COMMENT) continue;
    parts.push(
      literalTokens.has(token.kind) || token.value === undefined
        ? token.kind
        : `${token.kind} ${token.value}`,
    );
  }
  return parts.join('\n');
}
