import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import safeRegex from "safe-regex2";
import { errors } from "@/lib/errors";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Longest `pattern` (or `patternProperties` key) a schema may carry. */
export const MAX_PATTERN_LENGTH = 500;

// One ajv per schema: a shared instance keeps every `$id` it has seen, so a second schema with the
// same `$id` fails to compile (every publish of that type answered 500) and a schema can `$ref` a
// schema of another workspace by its `$id`. Compiled validators are cached by the schema's text.
const compiled = new Map<string, ValidateFunction>();
const CACHE_SIZE = 500;

class SchemaRefused extends Error {}

function compile(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    assertSafePatterns(schema);
    // No `loadSchema`: a `$ref` to anything outside this schema (a URL, another schema's `$id`)
    // fails to resolve at compile time instead of being fetched or shared.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
    if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, validate);
  }
  return validate;
}

/**
 * Every regular expression of the schema, checked before ajv builds it: bounded length and
 * no nested quantifiers (safe-regex2's star-height test), so a payload cannot make validation
 * backtrack for minutes.
 */
function assertSafePatterns(node: unknown, path = "schema"): void {
  if (Array.isArray(node)) return node.forEach((item, index) => assertSafePatterns(item, `${path}.${index}`));
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "pattern" && typeof value === "string") checkPattern(value, `${path}.pattern`);
    if (key === "patternProperties" && value && typeof value === "object") {
      for (const pattern of Object.keys(value)) checkPattern(pattern, `${path}.patternProperties`);
    }
    assertSafePatterns(value, `${path}.${key}`);
  }
}

function checkPattern(pattern: string, path: string) {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new SchemaRefused(`${path}: a pattern may have at most ${MAX_PATTERN_LENGTH} characters`);
  let valid = true;
  try {
    new RegExp(pattern, "u");
  } catch {
    valid = false;
  }
  if (!valid) throw new SchemaRefused(`${path}: "${pattern.slice(0, 80)}" is not a valid regular expression`);
  if (!safeRegex(pattern)) {
    throw new SchemaRefused(`${path}: "${pattern.slice(0, 80)}" nests quantifiers (like (a+)+) and could take exponential time`);
  }
}

/** Refuses a schema ajv cannot compile, with its reason, so a bad schema never reaches publish. */
export function assertValidSchema(schema: object) {
  try {
    compile(schema);
  } catch (error) {
    throw errors.validation([{ path: "schema", message: (error as Error).message }], "The JSON Schema is not valid");
  }
}

/**
 * The payload's problems against the schema. A stored schema that no longer compiles (saved
 * before these checks) is the caller's configuration to fix: a 400 naming it, never a 500.
 */
export function schemaErrors(schema: object, payload: unknown): Array<{ path: string; message: string }> {
  let validate: ValidateFunction;
  try {
    validate = compile(schema);
  } catch (error) {
    throw errors.validation(
      [{ path: "schema", message: (error as Error).message }],
      "The event type's JSON Schema is not valid: fix it under Event types",
    );
  }
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((error) => ({
    path: `payload${error.instancePath.replaceAll("/", ".")}`,
    message: error.message ?? "is not valid",
  }));
}
