import { Ajv2020 } from 'ajv/dist/2020.js';
import * as formats from 'ajv-formats';

type AddFormats = (ajv: Ajv2020) => unknown;
// ajv-formats is CommonJS: depending on the loader its function is the namespace's default or default.default.
const namespace = formats as unknown as { default: AddFormats | { default: AddFormats } };
const addFormats: AddFormats =
  typeof namespace.default === 'function' ? namespace.default : namespace.default.default;

/** An independent JSON Schema (2020-12) validator with formats (date-time, uri, …) checked, for schemas/*.json. */
export function schemaValidator(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}
