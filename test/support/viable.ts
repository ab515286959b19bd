/**
 * A small reference for "earliest error", independent of the tokenizer: a prefix is viable when
 * some completion makes `JSON.parse` accept it. Completions are tried from a fixed list of
 * middles (finishing a literal, a number, an escape, a string, a key) followed by the closers a
 * naive bracket scan says are open. Quadratic; for short texts in tests only.
 */

const MIDDLES = [
  '', '0', '"', '0"', '00"', '000"', '0000"', 'n"', '":0', ':0', '"a":0', 'rue', 'ue', 'e', 'alse', 'lse', 'se', 'ull', 'll', 'l',
];

function closers(text: string): string {
  const stack: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[') stack.push(']');
    else if (c === '{') stack.push('}');
    else if (c === ']' || c === '}') stack.pop();
  }
  return stack.reverse().join('');
}

/** True when `JSON.parse` accepts `text`. */
export function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** True when `prefix` (BOM already removed) can still be completed to a JSON text. */
export function isViablePrefix(prefix: string): boolean {
  if (/^[ \t\n\r]*$/.test(prefix)) return true; // JSON whitespace only (not String#trim's)
  for (const middle of MIDDLES) {
    // An unfinished key needs its value too.
    for (const candidate of [prefix + middle, `${prefix + middle}:0`]) {
      if (parsesAsJson(candidate + closers(candidate))) return true;
    }
  }
  return false;
}

/**
 * Where a correct streaming parser must fail on `text`: the index of the first character after
 * which no completion exists, or `text.length` when the text is only incomplete, or -1 when
 * it is valid JSON.
 */
export function earliestErrorPosition(text: string): number {
  if (parsesAsJson(text)) return -1;
  // Viability is prefix-closed (a viable prefix's prefixes are viable), so binary search finds
  // the longest viable prefix.
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (isViablePrefix(text.slice(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
