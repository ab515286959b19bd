/**
 * A location inside a JSON value as a list of steps from the root: object keys (strings) and
 * array indices (numbers). `[]` is the root. Used by deltas, completion events and errors.
 *
 * @example `['items', 2, 'name']` is `/items/2/name` as a JSON Pointer.
 * @public
 */
export type JsonPath = readonly (string | number)[];

/**
 * Converts a {@link JsonPath} to a JSON Pointer string (`~` is written `~0`, `/` is written `~1`).
 *
 * @example `toJsonPointer(['a/b', 0])` returns `'/a~1b/0'`; `toJsonPointer([])` returns `''`.
 * @see https://www.rfc-editor.org/rfc/rfc6901
 * @public
 */
export function toJsonPointer(path: JsonPath): string {
  let pointer = '';
  for (const step of path) {
    pointer += `/${typeof step === 'number' ? String(step) : step.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
  return pointer;
}

/**
 * Parses a JSON Pointer string into a {@link JsonPath}. Steps that are canonical array indices
 * (`0`, `17`, not `01`) become numbers; everything else stays a string.
 *
 * @throws `SyntaxError` when the pointer is neither empty nor starts with `/`, or has an escape
 *   other than `~0` and `~1`.
 * @see https://www.rfc-editor.org/rfc/rfc6901
 * @public
 */
export function parseJsonPointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new SyntaxError(`Invalid JSON Pointer ${JSON.stringify(pointer)}: it must be empty or start with "/"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      if (/~(?![01])/.test(raw)) {
        throw new SyntaxError(`Invalid JSON Pointer ${JSON.stringify(pointer)}: "~" must be followed by 0 or 1`);
      }
      const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(?:0|[1-9][0-9]*)$/.test(step) ? Number(step) : step;
    });
}
