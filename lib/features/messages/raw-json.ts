/**
 * The exact source text of a top-level member of a JSON object, so a payload is
 * stored byte for byte as the client sent it: JSON.parse + stringify would move
 * integer-like keys, drop whitespace and round numbers beyond 2^53.
 * `text` must already be known to be valid JSON. Returns undefined if absent.
 */
export function rawMember(text: string, name: string): string | undefined {
  let i = skipSpace(text, 0);
  if (text[i] !== "{") return undefined;
  i = skipSpace(text, i + 1);
  let found: string | undefined;
  while (i < text.length && text[i] !== "}") {
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, skipSpace(text, keyEnd) + 1); // past the colon
    const valueEnd = skipValue(text, i);
    if (key === name) found = text.slice(i, valueEnd); // JSON.parse keeps the last duplicate; so do we
    i = skipSpace(text, valueEnd);
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }
  return found;
}

/** The exact source text of each element of a JSON array (`text` already known to be valid JSON). */
export function rawElements(text: string): string[] | undefined {
  let i = skipSpace(text, 0);
  if (text[i] !== "[") return undefined;
  i = skipSpace(text, i + 1);
  const elements: string[] = [];
  while (i < text.length && text[i] !== "]") {
    const end = skipValue(text, i);
    elements.push(text.slice(i, end));
    i = skipSpace(text, end);
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }
  return elements;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  return i;
}

function skipString(text: string, i: number): number {
  i++; // opening quote
  while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

function skipValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return skipString(text, i);
  if (first === "{" || first === "[") {
    let depth = 0;
    while (i < text.length) {
      const char = text[i];
      if (char === '"') {
        i = skipString(text, i);
        continue;
      }
      if (char === "{" || char === "[") depth++;
      else if (char === "}" || char === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < text.length && !",}] \n\r\t".includes(text[i]!)) i++; // number, true, false, null
  return i;
}
