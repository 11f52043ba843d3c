import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The limits an operation is checked against before it runs. */
export interface OperationLimits {
  maxDepth: number;
  maxComplexity: number;
  maxPageSize: number;
  maxBatchSize: number;
}

/** How deep and how costly an operation is. */
export interface OperationMeasure {
  depth: number;
  complexity: number;
}

/** What an unpaginated list field is assumed to hold when costing it. */
const assumedListLength = 10;

/** What a root field costs by itself: each one is at least one warehouse read (aliases repeat them). */
export const rootFieldCost = 100;

/** A refusal with a stable code and HTTP 400 (the caller asked for too much; nothing ran). */
function refuse(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * Measures an operation's depth and cost (each field costs 1, a root field 100; a field's selection is multiplied by its `first`
 * argument, by the length of its `addresses` argument, or by 10 for other lists but a connection's `edges`) and refuses it, with a code,
 * when a page, a batch, the depth or the cost exceeds `limits`. Introspection fields are not counted.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
  limits: OperationLimits,
): OperationMeasure {
  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, complexity: 0 };
  // Measure the values execution will use: the variables coerced, with the operation's defaults for missing ones
  // (`query ($n: Int = 100000)` must not pass as the field's default). Variables that do not coerce fail execution.
  // Coerced only when a field has a cost argument: most operations have none.
  let coerced: Readonly<Record<string, unknown>> | undefined;
  const values = () =>
    (coerced ??=
      getVariableValues(schema, operation.variableDefinitions ?? [], variables).coerced ?? variables);
  let depth = 0;
  const costOf = (type: GraphQLObjectType, selections: SelectionSetNode, level: number): number => {
    let cost = 0;
    for (const field of collectFields(selections, fragments)) {
      if (field.name.value.startsWith('__')) continue;
      depth = Math.max(depth, level);
      if (depth > limits.maxDepth) {
        throw refuse(
          'DEPTH_LIMIT_EXCEEDED',
          `The query is nested more than ${limits.maxDepth} levels deep (at field "${field.name.value}"): ask for less at a time`,
        );
      }
      const definition = type.getFields()[field.name.value];
      if (!definition) continue;
      const multiplier = multiplierOf(definition, field, values, limits);
      const child = getNamedType(definition.type);
      const inner =
        field.selectionSet && isObjectType(child) ? costOf(child, field.selectionSet, level + 1) : 0;
      cost += (level === 1 ? rootFieldCost : 1) + multiplier * inner;
    }
    return cost;
  };
  const complexity = costOf(root, operation.selectionSet, 1);
  if (complexity > limits.maxComplexity) {
    throw refuse(
      'COMPLEXITY_LIMIT_EXCEEDED',
      `The query would cost ${complexity} units, more than the limit of ${limits.maxComplexity}: ask for smaller pages or fewer fields`,
    );
  }
  return { depth, complexity };
}

/** The arguments that size a field's selection: a page's `first`, a batch's `addresses`. */
const costArguments = new Set(['first', 'addresses']);

/** How many times a field's selection runs: its page size, its batch size, or the assumed list length. */
function multiplierOf(
  definition: GraphQLField<unknown, unknown>,
  field: FieldNode,
  variables: () => Readonly<Record<string, unknown>>,
  limits: OperationLimits,
): number {
  if (definition.args.some((arg) => costArguments.has(arg.name))) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, field, variables());
    } catch {
      return 1; // Bad arguments are reported by execution, with the argument named.
    }
    const sized = sizeOf(field, args, limits);
    if (sized !== undefined) return sized;
  }
  // A connection's `edges` hold the page its parent's `first` already counted.
  if (field.name.value === 'edges') return 1;
  return isListType(getNullableType(definition.type)) ? assumedListLength : 1;
}

/** A field's page size (`first`) or batch size (`addresses`), refused beyond the limits; undefined without either. */
function sizeOf(
  field: FieldNode,
  args: Record<string, unknown>,
  limits: OperationLimits,
): number | undefined {
  if (typeof args.first === 'number') {
    if (args.first < 0)
      throw refuse('BAD_USER_INPUT', `"first" of ${field.name.value} must be ≥ 0, got ${args.first}`);
    if (args.first > limits.maxPageSize) {
      throw refuse(
        'PAGE_SIZE_EXCEEDED',
        `"first" of ${field.name.value} is ${args.first}, more than the largest page of ${limits.maxPageSize}: page with "after"`,
      );
    }
    return args.first;
  }
  if (Array.isArray(args.addresses)) {
    if (args.addresses.length > limits.maxBatchSize) {
      throw refuse(
        'BATCH_SIZE_EXCEEDED',
        `${field.name.value} was given ${args.addresses.length} addresses, more than the limit of ${limits.maxBatchSize} per call: split the list`,
      );
    }
    return args.addresses.length;
  }
  return undefined;
}

/** The fields of a selection set, with fragment spreads and inline fragments flattened. */
function collectFields(
  selections: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  seen = new Set<string>(),
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selections.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fields.push(...collectFields(selection.selectionSet, fragments, seen));
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (fragment && !seen.has(name)) {
        seen.add(name);
        fields.push(...collectFields(fragment.selectionSet, fragments, seen));
      }
    }
  }
  return fields;
}
