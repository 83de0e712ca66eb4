import { z } from "zod";
import { CronError, nextCronTime, parseCron } from "./cron";
import { parseTimeString } from "./duration";
import { isSupportedKeyExpression } from "./expression";

/** What the engine keeps of a synced function, validated. */
export type FunctionConfig = {
  id: string;
  name: string;
  url: string;
  events: string[];
  crons: string[];
  maxAttempts: number;
  concurrency: { limit: number; key?: string }[];
  idempotency?: string;
  /**
   * Inngest `batchEvents`: events wait per key (`key` evaluated on each event) and a run gets up
   * to `maxSize` of them, one batch per key at a time. The local engine starts a key's batch when
   * it is full or its oldest event waited `timeoutMs` (as Inngest does), and earlier, with whatever
   * is pending, while few batch runs of the function are busy (Store.formBatches): at once when
   * idle, gathering under load.
   */
  batch?: { maxSize: number; timeoutMs: number; key?: string };
};

export class RegistrationError extends Error {
  constructor(readonly problems: string[]) {
    super(`the local engine refused the sync:\n- ${problems.join("\n- ")}`);
  }
}

// Inngest's default is 3 retries, i.e. 4 attempts; it allows at most 20 retries.
const DEFAULT_RETRIES = 3;
const MAX_RETRIES = 20;

/**
 * Options the engine does not implement. Each is refused by name, because
 * ignoring one would make a function behave differently here than on Inngest.
 */
const UNSUPPORTED: Record<string, string> = {
  throttle: "throttle",
  rateLimit: "rateLimit",
  debounce: "debounce",
  priority: "priority",
  cancel: "cancelOn",
  timeouts: "timeouts",
  singleton: "singleton",
};

const concurrencyOption = z.strictObject({
  limit: z.number().int().min(1),
  key: z.string().optional(),
  scope: z.literal("fn").optional(),
});

const functionSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  triggers: z
    .array(z.union([z.strictObject({ event: z.string().min(1) }), z.strictObject({ cron: z.string().min(1) })]))
    .min(1),
  steps: z.strictObject({
    step: z.strictObject({
      id: z.string(),
      name: z.string(),
      runtime: z.strictObject({ type: z.literal("http"), url: z.url() }),
      retries: z.strictObject({ attempts: z.number().int().min(0).max(MAX_RETRIES).optional() }).optional(),
    }),
  }),
  idempotency: z.string().optional(),
  batchEvents: z
    .strictObject({ maxSize: z.number().int().min(1).max(1000), timeout: z.string().min(1), key: z.string().optional() })
    .optional(),
  concurrency: z.union([z.number().int().min(1), concurrencyOption, z.array(concurrencyOption).min(1).max(2)]).optional(),
});

/** Validates every function of a sync; throws one RegistrationError listing every problem. */
export function parseFunctionConfigs(raw: unknown): FunctionConfig[] {
  if (!Array.isArray(raw)) throw new RegistrationError(["`functions` must be an array"]);
  const problems: string[] = [];
  const configs: FunctionConfig[] = [];
  for (const fn of raw) {
    const id = typeof fn?.id === "string" ? fn.id : "(no id)";
    const before = problems.length;
    const report = (message: string) => problems.push(`function "${id}": ${message}`);
    for (const [key, option] of Object.entries(UNSUPPORTED)) {
      if (fn?.[key] !== undefined && fn?.[key] !== null) report(`${option} is not supported by the local engine`);
    }
    for (const trigger of Array.isArray(fn?.triggers) ? fn.triggers : []) {
      if (trigger?.expression) report(`trigger conditions ("if: ${trigger.expression}") are not supported by the local engine (onFailure handlers use one too)`);
      if (trigger?.jitter) report(`cron jitter is not supported by the local engine`);
      if (typeof trigger?.event === "string" && trigger.event.includes("*")) report(`wildcard event triggers ("${trigger.event}") are not supported by the local engine`);
    }
    if (fn?.batchEvents?.if) report(`batchEvents conditions ("if") are not supported by the local engine`);
    if (fn?.batchEvents && fn?.idempotency) report(`idempotency with batchEvents is not supported by the local engine`);
    for (const option of [fn?.concurrency].flat()) {
      if (option?.scope && option.scope !== "fn") report(`concurrency scope "${option.scope}" is not supported by the local engine (only per-function limits)`);
    }
    if (problems.length > before) continue;

    const withoutNulls = Object.fromEntries(Object.entries(fn ?? {}).filter(([, value]) => value !== undefined && value !== null));
    const parsed = functionSchema.safeParse(withoutNulls);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const where = issue.path.join(".");
        report(
          issue.code === "unrecognized_keys"
            ? `option ${issue.keys.join(", ")}${where ? ` in ${where}` : ""} is not supported by the local engine`
            : `${where || "config"}: ${issue.message}`,
        );
      }
      continue;
    }
    const config = toFunctionConfig(parsed.data);
    if (config.batch && !Number.isFinite(config.batch.timeoutMs)) report(`batchEvents timeout "${parsed.data.batchEvents?.timeout}" is not a duration`);
    for (const expression of [config.idempotency, config.batch?.key, ...config.concurrency.map((c) => c.key)]) {
      if (expression !== undefined && !isSupportedKeyExpression(expression)) {
        report(`key expression "${expression}" is not supported by the local engine; it evaluates plain paths such as event.data.endpointId`);
      }
    }
    for (const cron of config.crons) {
      try {
        nextCronTime(parseCron(cron), new Date());
      } catch (error) {
        report(error instanceof CronError ? error.message : String(error));
      }
    }
    if (problems.length === before) configs.push(config);
  }
  if (problems.length) throw new RegistrationError(problems);
  return configs;
}

function toFunctionConfig(fn: z.infer<typeof functionSchema>): FunctionConfig {
  const concurrency = fn.concurrency === undefined ? [] : typeof fn.concurrency === "number" ? [{ limit: fn.concurrency }] : [fn.concurrency].flat();
  return {
    id: fn.id,
    name: fn.name ?? fn.id,
    url: fn.steps.step.runtime.url,
    events: fn.triggers.flatMap((trigger) => ("event" in trigger ? [trigger.event] : [])),
    crons: fn.triggers.flatMap((trigger) => ("cron" in trigger ? [trigger.cron] : [])),
    maxAttempts: (fn.steps.step.retries?.attempts ?? DEFAULT_RETRIES) + 1,
    concurrency: concurrency.map(({ limit, key }) => (key === undefined ? { limit } : { limit, key })),
    ...(fn.idempotency !== undefined && { idempotency: fn.idempotency }),
    ...(fn.batchEvents && {
      batch: {
        maxSize: fn.batchEvents.maxSize,
        timeoutMs: parseTimeString(fn.batchEvents.timeout) ?? Number.NaN,
        ...(fn.batchEvents.key !== undefined && { key: fn.batchEvents.key }),
      },
    }),
  };
}
