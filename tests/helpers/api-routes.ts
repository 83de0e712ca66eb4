import fs from "node:fs";
import path from "node:path";

export const API_V1_DIR = path.resolve("app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export type RouteFile = {
  file: string;
  /** OpenAPI path below /api/v1: `[id]` folders become `{id}`. */
  path: string;
  /** Lower-case methods the file exports. */
  methods: string[];
};

/** Every route file under app/api/v1 with the methods it exports (read from the source, no import needed). */
export function apiV1Routes(dir = API_V1_DIR): RouteFile[] {
  const found: RouteFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/^route\.(ts|tsx|js)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    // A catch-all (`[[...path]]`) is no operation: it answers paths the API does not have with a 404.
    if (/\[\.\.\.\w+\]/.test(path.relative(API_V1_DIR, file))) continue;
    const source = fs.readFileSync(file, "utf8");
    const methods = METHODS.filter((method) =>
      new RegExp(`export\\s+(const|async\\s+function|function)\\s+${method}\\b|export\\s*\\{[^}]*\\b${method}\\b`).test(source),
    ).map((method) => method.toLowerCase());
    const relative = path.relative(API_V1_DIR, path.dirname(file)).split(path.sep).filter(Boolean);
    const openApiPath = "/" + relative.map((segment) => segment.replace(/^\[(\w+)\]$/, "{$1}")).join("/");
    found.push({ file, path: openApiPath, methods });
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}
