/** The inspector's decoded field trees, searched by field name. */
import type { DecodedField } from '../../src-main/lab/api';

/** The first field of that name, depth first. */
export function findField(fields: DecodedField[], name: string): DecodedField | undefined {
  for (const f of fields) {
    if (f.name === name) return f;
    const inner = f.children && findField(f.children, name);
    if (inner) return inner;
  }
  return undefined;
}
