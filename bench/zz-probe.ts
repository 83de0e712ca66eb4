import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
const pgh = await startEmbeddedPostgres({ dataDir: `/tmp/mx/pg-4000000`, password: "pw" });
const c = new pg.Client({ connectionString: pgh.url }); await c.connect();
const sqls = {
  active: `SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending, count(*) FILTER (WHERE status = 'SENDING') AS sending,
   (SELECT count(*) FROM "Delivery" WHERE status = 'PAUSED') AS paused,
   count(*) FILTER (WHERE status = 'PENDING' AND "deferredUntil" IS NULL AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now())) AS due
   FROM "Delivery" WHERE status IN ('PENDING', 'SENDING')`,
  finished: `SELECT status::text AS status, count(*) AS count FROM "Delivery" WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') GROUP BY 1`,
  runsActive: `SELECT function_id, status, count(*) AS count FROM inngest_engine.runs WHERE status IN ('RUNNING', 'SLEEPING') GROUP BY 1, 2`,
};
for (const [k, s] of Object.entries(sqls)) {
  for (let i = 0; i < 3; i++) { const t = performance.now(); const r = await c.query(s); console.log(k, (performance.now() - t).toFixed(1), "ms", JSON.stringify(r.rows).slice(0, 200)); }
  const e = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${s}`); console.log(e.rows.map((r) => r["QUERY PLAN"]).join("\n"));
}
await c.end(); await pgh.stop();
