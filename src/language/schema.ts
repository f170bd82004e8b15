/**
 * The file format's JSON Schema (schemas/invoke.schema.json): the single source of structure
 * rules, completion items and hover text. Compiled with ajv once, when first needed.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schemaJson from '../../schemas/invoke.schema.json';

export interface PropertySchema {
  type?: string | string[];
  description?: string;
  enum?: string[];
  enumDescriptions?: string[];
  default?: unknown;
  properties?: Record<string, PropertySchema>;
}

interface InvocationSchema {
  required: string[];
  properties: Record<string, PropertySchema>;
}

export const invocationSchema = (schemaJson as unknown as { definitions: { invocation: InvocationSchema } }).definitions
  .invocation;

/** Property names of an invocation, in the schema's order. */
export const invocationKeys: readonly string[] = Object.keys(invocationSchema.properties);

export function propertySchema(key: string): PropertySchema | undefined {
  return Object.prototype.hasOwnProperty.call(invocationSchema.properties, key) ? invocationSchema.properties[key] : undefined;
}

let validator: ValidateFunction | undefined;

/** Validates one invocation object's value; errors carry paths relative to the invocation. */
export function validateInvocationValue(value: unknown): ErrorObject[] {
  validator ??= compile();
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

function compile(): ValidateFunction {
  // The schema is ours and fixed, so it is not checked against the draft-07 meta-schema on every
  // start (compiling the meta-schema cost about as much as this schema); strict mode still
  // rejects unknown keywords. Unoptimised generated code compiles faster and validates objects
  // this small just as fast.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, validateSchema: false, code: { optimize: false } });
  // VS Code's own schema keyword, used for completion documentation.
  ajv.addKeyword({ keyword: 'enumDescriptions', schemaType: 'array' });
  ajv.addSchema(schemaJson);
  return ajv.getSchema(`${schemaJson.$id}#/definitions/invocation`)!;
}
