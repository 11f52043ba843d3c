import type { z } from 'zod';
import { NonRetryableError } from '../internal/errors.js';

/** What {@link parseWithSchema} calls the thing it checks, and the error code it throws. */
export interface SchemaSubject {
  /** E.g. "price sequence model configuration": the message reads `Invalid <subject>: N problem(s)`. */
  subject: string;
  code: string;
  /** How a problem with the whole input is named (default "(input)"). */
  root?: string;
}

/** Parses `input` with a zod schema (defaults filled in); a NonRetryableError lists every bad field, one per line. */
export function parseWithSchema<S extends z.ZodType>(
  schema: S,
  input: unknown,
  about: SchemaSubject,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  - ${issue.path.join('.') || (about.root ?? '(input)')}: ${issue.message}`,
  );
  throw new NonRetryableError(`Invalid ${about.subject}: ${lines.length} problem(s)`, {
    code: about.code,
    details: lines.join('\n'),
  });
}
