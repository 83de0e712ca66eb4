/**
 * What storing a publish costs PostgreSQL with and without group commit
 * (lib/features/messages/store.ts): `--publishes` single-message publishes (one endpoint, the
 * local engine's intake left out) from `--clients` concurrent clients, each stored by its own
 * statement, then through `storePublish`, which lets concurrent publishes share statements.
 * Prints PostgreSQL's CPU per publish (every process of the embedded cluster) and statements used.
 *   npx tsx --conditions=react-server bench/publish-grouping.ts [--publishes 4000] [--clients 16]
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { createPool, setPool } from "@/lib/db/pool";
import { insert, storePublish, type StoreJob } from "@/lib/features/messages/store";
import { newId } from "@/lib/ids";
import { clusterCpuMs } from "./lib/server";
import { parseArgs } from "./lib/util";

const args = parseArgs(process.argv.slice(2));
const publishes = args.number("publishes", 4_000);
const clients = args.number("clients", 16);
const dataDir = path.resolve(`data/bench-publish-grouping-${process.pid}`);
const postgres = await startEmbeddedPostgres({ dataDir, password: "bench", database: "hookline_bench" });
const pool = createPool(postgres.url);
setPool(pool);

const postgresCpuMs = () => clusterCpuMs(dataDir);

/** How many transactions stored these messages (rows one statement wrote share its xmin). */
async function transactions(messageIds: string[]) {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(DISTINCT xmin::text)::int AS n FROM "Message" WHERE id = ANY($1::text[])`, [messageIds]);
  return rows[0]!.n;
}

try {
  await migrate(postgres.url);
  const workspaceId = newId("ws");
  const endpointId = newId("ep");
  await pool.query(`INSERT INTO "Workspace" (id, name) VALUES ($1, 'bench')`, [workspaceId]);
  await pool.query(`INSERT INTO "Endpoint" (id, "workspaceId", title, url, "secretEnc", "updatedAt") VALUES ($1, $2, 'bench', 'http://127.0.0.1:9/', 'x', now())`, [
    endpointId,
    workspaceId,
  ]);
  const body = JSON.stringify({ data: "x".repeat(1000) });
  const job = (): StoreJob => {
    const messageId = newId("msg");
    return {
      workspaceId,
      test: false,
      createdAt: new Date().toISOString(),
      routingVersion: null,
      messages: [{ id: messageId, eventType: "bench.event", account: null, body, idempotencyKey: null }],
      deliveries: [{ id: newId("dlv"), messageId, endpointId, status: "PENDING" }],
    };
  };

  const measure = async (label: string, store: (one: StoreJob) => Promise<void>) => {
    for (let i = 0; i < 200; i++) await store(job()); // warm-up: plans, caches, JIT
    const ids: string[] = [];
    const cpuBefore = postgresCpuMs();
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next++ < publishes) {
          const one = job();
          ids.push(one.messages[0]!.id);
          await store(one);
        }
      }),
    );
    const cpu = postgresCpuMs() - cpuBefore;
    console.log(`${label}: ${(cpu / publishes).toFixed(3)} ms of PostgreSQL CPU per publish, ${await transactions(ids)} transactions for ${publishes} publishes`);
  };

  console.log(`${publishes} single-message publishes (fan-out 1) from ${clients} concurrent clients`);
  await measure("one statement each", (one) => insert([one]));
  await measure("group commit (storePublish)", storePublish);
} finally {
  await pool.end();
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
