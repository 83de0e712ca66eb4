import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { errors } from "@/lib/errors";

// ajv: the reference JSON Schema validator (draft 2020-12 subset via draft-07 default), compiled once per schema.
const ajv = new Ajv({ allErrors: true, strict: false });
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}

/** Refuses a schema ajv cannot compile, with its reason, so a bad schema never reaches publish. */
export function assertValidSchema(schema: object) {
  try {
    compile(schema);
  } catch (error) {
    throw errors.validation([{ path: "schema", message: (error as Error).message }], "The JSON Schema is not valid");
  }
}

export function schemaErrors(schema: object, payload: unknown): Array<{ path: string; message: string }> {
  const validate = compile(schema);
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((error) => ({
    path: `payload${error.instancePath.replaceAll("/", ".")}`,
    message: error.message ?? "is not valid",
  }));
}
