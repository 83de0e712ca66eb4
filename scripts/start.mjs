// `npm start`: the launcher compiled by `npm run build` (scripts/build-processes.mjs), or a clear
// message when there is no build yet. Run with `--conditions=react-server`, as the package.json does.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const launcher = path.resolve(process.env.NEXT_DIST_DIR || ".next", "hookline", "serve.mjs");
if (!existsSync(launcher)) {
  console.error(`No production build (${path.relative(process.cwd(), launcher)} is missing): run \`npm run build\` first, or \`npm run dev\`.`);
  process.exit(1);
}
await import(pathToFileURL(launcher).href);
