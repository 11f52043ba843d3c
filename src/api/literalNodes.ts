import {
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FloatValueNode,
  type IntValueNode,
  Kind,
  type SelectionSetNode,
  type StringValueNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';

/** A literal whose value is not part of a query's shape: a string, block string, integer or float. */
export type LiteralNode = StringValueNode | IntValueNode | FloatValueNode;

/**
 * The string, integer and float literals of an executable document, in the order of its text: in arguments,
 * directives and variables' default values, inside lists and input objects too.
 */
export function literalNodes(document: DocumentNode): LiteralNode[] {
  const found: LiteralNode[] = [];
  const value = (node: ValueNode): void => {
    if (node.kind === Kind.STRING || node.kind === Kind.INT || node.kind === Kind.FLOAT) found.push(node);
    else if (node.kind === Kind.LIST) for (const item of node.values) value(item);
    else if (node.kind === Kind.OBJECT) for (const field of node.fields) value(field.value);
  };
  const argumentsOf = (list: readonly ArgumentNode[] | undefined): void => {
    for (const argument of list ?? []) value(argument.value);
  };
  const directives = (list: readonly DirectiveNode[] | undefined): void => {
    for (const directive of list ?? []) argumentsOf(directive.arguments);
  };
  const variables = (list: readonly VariableDefinitionNode[] | undefined): void => {
    for (const variable of list ?? []) {
      if (variable.defaultValue) value(variable.defaultValue);
      directives(variable.directives);
    }
  };
  const selections = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) argumentsOf(selection.arguments);
      directives(selection.directives);
      if (selection.kind !== Kind.FRAGMENT_SPREAD) selections(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION)
      continue;
    variables(definition.variableDefinitions);
    directives(definition.directives);
    selections(definition.selectionSet);
  }
  return found;
}
