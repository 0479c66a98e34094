// What a transform parses to, for the JSON Schema of the parsed scenario (report.json echoes it). JSON Schema cannot
// describe a function's result, so zod writes `{}` for a transform's output (`unrepresentable: "any"`), and a schema
// with `{}` there takes anything. A transform registered here is described by the schema of what it returns: that
// schema only describes, it never parses, so parsing and its errors stay the transform's.

import { z } from "zod";

// Filled as the spec's modules load (a table of the schemas, like zod's own registry of descriptions), never after.
const PARSED_AS = new WeakMap<z.core.$ZodType, z.core.$ZodType>();

/** `schema` (a zod `.transform(…)`), whose output the parsed scenario's JSON Schema describes by `parsed`. */
export function parsesAs<S extends { out: z.ZodTransform }>(schema: S, parsed: z.core.$ZodType): S {
  PARSED_AS.set(schema.out, parsed);
  return schema;
}

/**
 * toJSONSchema's `unrepresentable` handler for the parsed scenario (io "output"), given the other options: a transform
 * registered by parsesAs is its parsed schema's JSON Schema; anything else `{}`, as `unrepresentable: "any"` writes
 * it (a unit field's transform: its x-unit says what it holds).
 */
export function parsedSchemas(params: Omit<z.core.ToJSONSchemaParams, "unrepresentable">): z.core.UnrepresentableHandler {
  const handler: z.core.UnrepresentableHandler = ({ zodSchema }) => {
    const parsed = PARSED_AS.get(zodSchema);
    if (!parsed) return "any";
    const { $schema: _, ...json } = z.toJSONSchema(parsed, { ...params, unrepresentable: handler });
    return json;
  };
  return handler;
}
