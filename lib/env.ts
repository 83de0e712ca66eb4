import path from "node:path";
import ipaddr from "ipaddr.js";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

/** A number as people write one in an env file: decimal digits (`0x10`, `1e3` or `Infinity` are refused, not read as 16, 1000 or ∞). */
const decimal = z.string().trim().regex(/^-?\d+(\.\d+)?$/, "must be a decimal number, such as 1500").transform(Number);

const optional = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

/** Every environment variable Hookline reads, validated once. Documented in .env.example. */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: decimal.pipe(z.number().int().min(1).max(65535)).default(3000),
  // The address the console listens on. Not HOSTNAME: shells and Docker set that to the machine's
  // or container's name, which would bind one interface only (in a container, not loopback).
  HOOKLINE_HOST: z.string().min(1).default("0.0.0.0"),
  HOOKLINE_DATA_DIR: z.string().default("./data"),
  DATABASE_URL: optional.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  HOOKLINE_ENCRYPTION_KEY: optional.pipe(
    z.string().regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes, base64 encoded (openssl rand -base64 32)").optional(),
  ),
  NEXTAUTH_SECRET: optional.pipe(z.string().min(32).optional()),
  NEXTAUTH_URL: optional.pipe(z.url().optional()),
  HOOKLINE_ADMIN_EMAIL: optional.pipe(z.email().optional()),
  HOOKLINE_ADMIN_PASSWORD: optional.pipe(z.string().min(12, "must be at least 12 characters").optional()),
  HOOKLINE_API_KEY: optional.pipe(z.string().regex(/^hk_[A-Za-z0-9_-]{16,}$/, "must look like hk_ followed by ≥ 16 characters").optional()),
  HOOKLINE_WORKSPACE_NAME: z.string().min(1).max(80).default("Default"),
  HOOKLINE_ALLOW_PRIVATE_NETWORKS: bool,
  HOOKLINE_REQUIRE_HTTPS: bool,
  // Default on: only "false" or "0" turns the direct publish path off (lib/api/direct.ts).
  HOOKLINE_DIRECT_PUBLISH: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((value) => value !== "false" && value !== "0"),
  HOOKLINE_MAX_BODY_BYTES: decimal.pipe(z.number().int().min(1024).max(10 * 1024 * 1024)).default(256 * 1024),
  // Requests per minute per API key, counted in PostgreSQL across instances; 0 turns the limit off.
  HOOKLINE_API_RATE_LIMIT: decimal.pipe(z.number().int().min(0).max(10_000_000)).default(60_000),
  // Proxies whose X-Forwarded-For the per-IP sign-in limit believes (IPs or CIDR ranges, comma-separated).
  HOOKLINE_TRUSTED_PROXIES: z
    .string()
    .default("127.0.0.0/8,::1/128")
    .refine(
      (list) => list.split(",").every((entry) => !entry.trim() || (entry.includes("/") ? ipaddr.isValidCIDR(entry.trim()) : ipaddr.isValid(entry.trim()))),
      "must be IP addresses or CIDR ranges separated by commas, e.g. 10.0.0.0/8,192.168.1.7",
    ),
  HOOKLINE_RETENTION_DAYS: decimal.pipe(z.number().int().min(1).max(3650)).default(30),
  HOOKLINE_ENGINE_RETENTION_DAYS: decimal.pipe(z.number().min(0.01).max(3650)).default(7),
  HOOKLINE_DB_POOL: decimal.pipe(z.number().int().min(2).max(500)).default(10),
  HOOKLINE_ENDPOINT_CONCURRENCY: decimal.pipe(z.number().int().min(1).max(1000)).default(10),
  HOOKLINE_DB_CONNECT_TIMEOUT_MS: decimal.pipe(z.number().int().min(100).max(120_000)).default(5_000),
  HOOKLINE_DB_STATEMENT_TIMEOUT_MS: decimal.pipe(z.number().int().min(100).max(600_000)).default(15_000),
  HOOKLINE_PUBLISH_LINGER_MS: decimal.pipe(z.number().min(0).max(100)).default(2),
  HOOKLINE_MAX_BACKLOG: decimal.pipe(z.number().int().min(1).max(100_000_000)).default(20_000),
  HOOKLINE_BACKLOG_CHECK_MS: decimal.pipe(z.number().int().min(10).max(60_000)).default(500),
  HOOKLINE_MAX_EVENT_LOOP_LAG_MS: decimal.pipe(z.number().int().min(0).max(600_000)).default(1_000),
  HOOKLINE_MAX_BATCH_BYTES: decimal.pipe(z.number().int().min(1024).max(100 * 1024 * 1024)).default(4 * 1024 * 1024),
  HOOKLINE_ENGINE_WORKERS: decimal.pipe(z.number().int().min(1).max(256)).default(50),
  HOOKLINE_ENGINE_PORT: decimal.pipe(z.number().int().min(0).max(65535)).default(0),
  HOOKLINE_DELIVERY_WORKERS: decimal.pipe(z.number().int().min(1).max(16)).default(1),
  HOOKLINE_ENGINE_ALLOW_REMOTE: bool,
  INNGEST_SERVE_ORIGIN: optional.pipe(z.url().optional()),
  INNGEST_BASE_URL: optional.pipe(z.url().optional()),
  INNGEST_EVENT_KEY: optional,
  INNGEST_SIGNING_KEY: optional,
  INNGEST_DEV: optional,
  HOOKLINE_EXECUTOR: z.enum(["local-engine", "inngest"]).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  HOOKLINE_LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  HOOKLINE_METRICS_TOKEN: optional.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional.pipe(z.url().optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional.pipe(z.url().optional()),
  /** Delivery worker n listens on this port + n (loopback, /metrics); 0 = off. */
  HOOKLINE_WORKER_METRICS_PORT: decimal.pipe(z.number().int().min(0).max(65000)).default(0),
  HOOKLINE_WORKER_INDEX: decimal.pipe(z.number().int().min(0).max(1000)).default(0),
  HOOKLINE_METRICS_PORT: decimal.pipe(z.number().int().min(0).max(65535)).default(0),
});

export type Env = z.infer<typeof schema>;

/** Variables whose empty value means something of its own rather than "not set". */
const EMPTY_IS_A_VALUE = new Set(["HOOKLINE_TRUSTED_PROXIES"]);

function parse(source: NodeJS.ProcessEnv): Env {
  // An empty value (`X=` in a .env file, `${X:-}` in a compose file) is as if unset: the default applies.
  const given = Object.fromEntries(Object.entries(source).filter(([key, value]) => value !== "" || EMPTY_IS_A_VALUE.has(key)));
  const result = schema.safeParse(given);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    // Values are never echoed: some of these are secrets.
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  if (result.data.HOOKLINE_ADMIN_EMAIL && !result.data.HOOKLINE_ADMIN_PASSWORD) {
    throw new Error("Invalid environment:\n  HOOKLINE_ADMIN_PASSWORD: required when HOOKLINE_ADMIN_EMAIL is set");
  }
  return result.data;
}

let cached: Env | undefined;
/** The validated environment. Read lazily: the launcher sets DATABASE_URL after start-up. */
export function env(): Env {
  cached ??= parse(process.env);
  return cached;
}

/** For the launcher and tests, which change process.env after the first read. */
export function resetEnv() {
  cached = undefined;
}

export function dataDir(): string {
  return path.resolve(env().HOOKLINE_DATA_DIR);
}

/**
 * True when no Inngest server is configured, so the local engine must run. A signing key
 * alone does not name a server: the local engine uses one too (generated when unset).
 */
export function usesLocalEngine(source: Env = env()): boolean {
  if (source.HOOKLINE_EXECUTOR) return source.HOOKLINE_EXECUTOR === "local-engine";
  return !source.INNGEST_BASE_URL && !source.INNGEST_EVENT_KEY;
}

/**
 * Where Inngest (or the local engine) reaches /api/inngest: fixed by configuration, never
 * taken from a request's Host header (a forged Host would re-register the app elsewhere).
 */
export function serveOrigin(source: Env = env()): string {
  return source.INNGEST_SERVE_ORIGIN ?? (source.NEXTAUTH_URL ? new URL(source.NEXTAUTH_URL).origin : `http://127.0.0.1:${source.PORT}`);
}
