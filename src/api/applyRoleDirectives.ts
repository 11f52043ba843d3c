import { defaultFieldResolver, GraphQLError, type GraphQLSchema, isObjectType, Kind } from 'graphql';
import type { ApiContext } from './apiContext.js';

/**
 * Enforces `@requiresRole(role: ADMIN)` on every field that carries it: the field's resolver first checks the
 * caller's role and refuses with FORBIDDEN (naming the field and the role it needs). Mutates and returns `schema`.
 */
export function applyRoleDirectives(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const directive = field.astNode?.directives?.find((d) => d.name.value === 'requiresRole');
      const argument = directive?.arguments?.find((a) => a.name.value === 'role')?.value;
      if (!argument || argument.kind !== Kind.ENUM) continue;
      const role = argument.value.toLowerCase();
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context: ApiContext, info) => {
        if (context.principal.role !== role) {
          throw new GraphQLError(`${type.name}.${field.name} needs an API key with the ${role} role`, {
            extensions: { code: 'FORBIDDEN', http: { status: 403 } },
          });
        }
        return resolve(parent, args, context, info);
      };
    }
  }
  return schema;
}
