/**
 * Wake-up latency of the local engine: from `inngest.send()` to the first call
 * of the function, on a real PostgreSQL with default (durable) settings.
 *   npx tsx bench/engine-latency.ts [events=500]
 * Sequential: one event at a time (an idle engine picking up work).
 * Burst: all events in one send (queueing behind the worker pool included).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { Inngest } from "inngest";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { startEngine } from "@/inngest/engine";
import { quietLogger, serveFunctions } from "@/tests/fixtures/engine/app";

const events = Number(process.argv[2] ?? 500);
const dataDir = path.resolve("data/bench-engine-pg");
rmSync(dataDir, { recursive: true, force: true });
const postgres = await startEmbeddedPostgres({ dataDir, password: "bench", database: "hookline_bench", settings: process.env.BENCH_NO_FSYNC ? { synchronous_commit: "off" } : {} });
await migrate(postgres.url);
const engine = await startEngine({ databaseUrl: postgres.url });

const firstCall = new Map<number, (at: number) => void>();
const inngest = new Inngest({ id: "bench", isDev: true, baseUrl: engine.url, logger: quietLogger });
const app = await serveFunctions(inngest, [
  inngest.createFunction({ id: "latency", triggers: [{ event: "bench/latency" }] }, async ({ event }) => {
    firstCall.get(event.data.i)?.(performance.now());
    firstCall.delete(event.data.i);
    return event.data.i;
  }),
]);
await engine.syncApp(app.url);

const arrival = (i: number) => new Promise<number>((resolve) => firstCall.set(i, resolve));
const report = (label: string, samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  console.log(`${label}: n=${sorted.length} p50=${at(0.5)} ms p90=${at(0.9)} ms p99=${at(0.99)} ms max=${at(1)} ms`);
};

try {
  const sequential: number[] = [];
  for (let i = 0; i < events; i++) {
    const arrived = arrival(i);
    const sent = performance.now();
    await inngest.send({ name: "bench/latency", data: { i } });
    sequential.push((await arrived) - sent);
  }
  report("sequential event → first call", sequential);

  const burst = Array.from({ length: events }, (_, k) => events + k);
  const arrivals = burst.map(arrival);
  const sent = performance.now();
  await inngest.send(burst.map((i) => ({ name: "bench/latency", data: { i } })));
  report("burst event → first call", (await Promise.all(arrivals)).map((at) => at - sent));
} finally {
  await app.close();
  await engine.stop();
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
