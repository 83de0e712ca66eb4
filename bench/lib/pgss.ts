/**
 * pg_stat_statements for the benches (`--pgss`): which statements PostgreSQL spent its time on.
 * The library must be preloaded, so the server is restarted with it (`preloadPgss`) before the
 * measured phase; its overhead (a few per cent) is in every figure of such a run. PostgreSQL 18
 * groups statements by the relations' aliases, so every foreign-key check (`SELECT 1 FROM ONLY
 * <table> x … FOR KEY SHARE OF x`, whichever table) is one entry, shown with the first one's text.
 */
import pg from "pg";

export type StatementStat = { calls: number; total_ms: number; mean_ms: number; rows: number; wal_records: number; query: string };

/** Sets the library to load at the next start (the caller restarts the server). */
export async function preloadPgss(databaseUrl: string) {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    // Nested statements too: the foreign-key checks a multi-row insert runs show up on their own.
    await admin.query(`ALTER SYSTEM SET pg_stat_statements.track = 'all'`);
  } finally {
    await admin.end();
  }
}

/** Creates the extension (on a server started with the library) and starts counting from now. */
export async function resetPgss(db: pg.Client) {
  await db.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  await db.query("SELECT pg_stat_statements_reset()");
}

/** The statements of this database since the reset: the most executed first, or the most execution time. */
export async function pgssTop(db: pg.Client, limit = 30, orderBy: "calls" | "total_exec_time" = "calls"): Promise<StatementStat[]> {
  const { rows } = await db.query<StatementStat>(
    `SELECT calls::int, round(total_exec_time::numeric, 1)::float8 AS total_ms, round(mean_exec_time::numeric, 3)::float8 AS mean_ms,
            rows::int, wal_records::int, left(regexp_replace(query, '\\s+', ' ', 'g'), 220) AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY ${orderBy === "calls" ? "calls" : "total_exec_time"} DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

/** Prints `top` per unit (a publish, a delivery): execution ms, calls and WAL records each. */
export function printPerUnit(top: StatementStat[], units: number, unit: string, print: (line: string) => void = console.log) {
  const total = top.reduce((sum, s) => sum + s.total_ms, 0);
  print(`pg_stat_statements, per ${unit} (${units}): ${(total / units).toFixed(3)} ms of execution in the statements below`);
  print(`${"ms".padStart(7)} ${"calls".padStart(6)} ${"WAL rec".padStart(7)}  statement`);
  for (const s of top) {
    print(`${(s.total_ms / units).toFixed(3).padStart(7)} ${(s.calls / units).toFixed(2).padStart(6)} ${(s.wal_records / units).toFixed(1).padStart(7)}  ${s.query.slice(0, 140)}`);
  }
}
