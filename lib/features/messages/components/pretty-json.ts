/**
 * Re-indents JSON text without parsing it, so the pretty view keeps the body's key order and
 * number literals exactly (JSON.parse would move integer-like keys first and round big numbers).
 * Returns the text unchanged when it is not JSON-looking.
 */
export function prettyJsonText(text: string, indent = "  "): string {
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  let out = "";
  let depth = 0;
  let i = 0;
  const newline = () => "\n" + indent.repeat(depth);
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      out += text.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (char === " " || char === "\n" || char === "\r" || char === "\t") {
      i++;
      continue;
    }
    if (char === "{" || char === "[") {
      // Empty containers stay on one line.
      let next = i + 1;
      while (next < text.length && " \n\r\t".includes(text[next]!)) next++;
      const close = char === "{" ? "}" : "]";
      if (text[next] === close) {
        out += char + close;
        i = next + 1;
        continue;
      }
      depth++;
      out += char + newline();
    } else if (char === "}" || char === "]") {
      depth--;
      out += newline() + char;
    } else if (char === ",") {
      out += "," + newline();
    } else if (char === ":") {
      out += ": ";
    } else {
      out += char;
    }
    i++;
  }
  return out;
}
