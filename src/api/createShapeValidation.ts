import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type GraphQLLeafType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  OverlappingFieldsCanBeMergedRule,
  parse,
  type Token,
  TokenKind,
  TypeInfo,
  type ValueNode,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { OfferingDocumentStore } from './createDocumentStore.js';
import { type LiteralNode, literalNodes } from './literalNodes.js';

/** Token kinds whose value is a literal's: left out of a shape. */
const literalTokens = new Set<string>([
  TokenKind.STRING,
  TokenKind.BLOCK_STRING,
  TokenKind.INT,
  TokenKind.FLOAT,
]);

/** What a shape that passed Apollo's validation needs checked in a new text of it. */
interface ShapeChecks {
  /** The type each of the text's literals must parse as (see literalNodes for their order). */
  literalTypes: GraphQLLeafType[];
  /** Whether two fields share a response name and take arguments (their literals must then be equal). */
  mergesArguments: boolean;
}

/**
 * An Apollo plugin that spares a new query text most of its validation when a text of the same shape passed it:
 * the same tokens but for the values of string and number literals (a lookup with the address inline, say, where
 * each request is a new text that Apollo's document cache cannot hold). Such texts parse to the same document but
 * for those values, and of the specified rules only two read them: values of the right type, and fields that can
 * merge (fields with one response name must have equal arguments). So each literal is parsed by the type its
 * position takes (known from the shape's first validation), and the merge rule runs only for shapes where two
 * fields share a response name and take arguments. When those pass, the parsed document is offered to Apollo, which
 * then neither parses nor validates it. Any other text, or one those checks refuse, goes through Apollo's whole
 * validation, with its errors. Full validation of a one-field lookup costs 180–240 µs and allocates ~20 KB; the
 * checks here, a few µs.
 */
export function createShapeValidation(
  schema: GraphQLSchema,
  documents: OfferingDocumentStore,
  maxShapeBytes = 8 * 2 ** 20,
): ApolloServerPlugin {
  // Bounded by the shapes' length (a shape is as long as its query, up to the body limit), not their number.
  // `false`: a valid shape whose literals' types could not be told, validated in full every time.
  const validShapes = new LRUCache<string, ShapeChecks | false>({
    maxSize: maxShapeBytes,
    sizeCalculation: (checks, shape) => shape.length + 64 + 8 * (checks ? checks.literalTypes.length : 0),
  });
  return {
    async requestDidStart() {
      let shape: string | undefined;
      let document: DocumentNode | undefined;
      return {
        async didResolveSource({ source, queryHash }) {
          if (documents.hasQuery(queryHash)) return;
          try {
            document = parse(source);
          } catch {
            return; // Apollo reports the syntax error.
          }
          shape = shapeOf(document);
          const checks = shape === undefined ? undefined : validShapes.get(shape);
          if (checks && passes(schema, document, checks)) documents.offer(queryHash, document);
        },
        async validationDidStart() {
          return async (errors) => {
            // A shape's checks depend on the shape alone: made once, whichever of its texts comes first.
            if (errors || shape === undefined || !document || validShapes.has(shape)) return;
            validShapes.set(shape, shapeChecks(schema, document) ?? false);
          };
        },
      };
    },
  };
}

/**
 * What a new text of a valid document's shape needs checked; undefined when some literal's type cannot be told
 * (then texts of the shape are validated in full).
 */
function shapeChecks(schema: GraphQLSchema, document: DocumentNode): ShapeChecks | undefined {
  const typeInfo = new TypeInfo(schema);
  const types = new Map<ValueNode, GraphQLLeafType | undefined>();
  const record = (node: ValueNode) => {
    const type = getNamedType(typeInfo.getInputType());
    types.set(node, type && isLeafType(type) ? type : undefined);
  };
  visit(document, visitWithTypeInfo(typeInfo, { StringValue: record, IntValue: record, FloatValue: record }));
  const literals = literalNodes(document);
  const literalTypes: GraphQLLeafType[] = [];
  for (const node of literals) {
    const type = types.get(node);
    if (!type) return undefined;
    literalTypes.push(type);
  }
  if (literalTypes.length !== types.size) return undefined;
  return { literalTypes, mergesArguments: mergesArguments(document) };
}

/** Whether a new text of a known shape passes the checks its literals' values need. */
function passes(schema: GraphQLSchema, document: DocumentNode, checks: ShapeChecks): boolean {
  const literals = literalNodes(document);
  if (literals.length !== checks.literalTypes.length) return false;
  for (let i = 0; i < literals.length; i += 1) {
    if (!parsesAs(checks.literalTypes[i]!, literals[i]!)) return false;
  }
  return (
    !checks.mergesArguments || validate(schema, document, [OverlappingFieldsCanBeMergedRule]).length === 0
  );
}

/** Whether `type` takes the literal, as the values-of-correct-type rule decides. */
function parsesAs(type: GraphQLLeafType, node: LiteralNode): boolean {
  try {
    return type.parseLiteral(node, undefined) !== undefined;
  } catch {
    return false;
  }
}

/** Whether two fields of a document share a response name and either takes arguments. */
function mergesArguments(document: DocumentNode): boolean {
  const withArguments = new Map<string, boolean>();
  let merges = false;
  visit(document, {
    Field(node) {
      const name = (node.alias ?? node.name).value;
      const argued = (node.arguments?.length ?? 0) > 0;
      const seen = withArguments.get(name);
      if (seen !== undefined && (seen || argued)) merges = true;
      withArguments.set(name, (seen ?? false) || argued);
    },
  });
  return merges;
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
