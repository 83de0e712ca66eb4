/** The markdown report: targets first, then each phase, then the read path's plans. */
import type { Summary } from "./util";

const ms = (s: Summary | undefined) => (s && s.n ? `${s.p50} / ${s.p99}` : "–");
const mark = (pass: boolean | null) => (pass === null ? "–" : pass ? "✅ pass" : "❌ fail");

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function renderMarkdown(r: Record<string, any>): string {
  const lines: string[] = [];
  const m = r.machine ?? {};
  lines.push(`# Hookline bench — ${r.startedAt}`);
  lines.push("");
  lines.push(
    `Machine: ${m.cpus} × ${m.model}, ${m.memGiB} GiB, ${m.node}; load average at start ${fmtLoad(m.loadAtStart)}, at end ${fmtLoad(r.loadAtEnd)}. ` +
      `Embedded PostgreSQL + local engine + production build (\`next start\`).`,
  );
  const c = r.config ?? {};
  lines.push(
    `Config: ${c.messages} messages × ${c.endpoints} endpoints = ${c.deliveries} deliveries, ${c.payloadBytes} B payload, publish concurrency ${c.publishConcurrency}, ` +
      `engine workers ${c.engineWorkers}, per-endpoint concurrency ${c.endpointConcurrency}, limit concurrency ${c.limitConcurrency}.`,
  );
  lines.push("");
  if (r.error) lines.push(`**Incomplete run — failed with:** ${r.error}`, "");
  lines.push("## Targets");
  lines.push("");
  lines.push("| target | measured | result |");
  lines.push("|---|---|---|");
  for (const t of r.targets ?? []) lines.push(`| ${t.target} | ${t.value} | ${mark(t.pass)} |`);
  lines.push("");
  lines.push("## Delivery");
  lines.push("");
  lines.push("| phase | publishes/s | publish p50 / p99 ms | deliveries/s | publish → first attempt p50 / p99 ms | RSS peak MB (all / node / postgres; PSS all) | DB per delivery: tx, rows ins/upd/del, WAL KiB | CPU ms per delivery: node + postgres (load 1-min before → after) | batch runs × events per run |");
  lines.push("|---|---|---|---|---|---|---|---|---|");
  if (r.limit) {
    const bracket = r.limit.after ? ` (mean of ${Math.round(r.limit.before.perSecond)} before and ${Math.round(r.limit.after.perSecond)} after end to end)` : "";
    lines.push(`| limit (no DB, concurrency ${r.limit.concurrency}) | – | – | ${Math.round(r.limit.perSecond)}${bracket} | – | – | – | – | – |`);
    const old = r.limit.nodeHttp;
    if (old) lines.push(`| limit with node:http (the limit before 2026-12-03) | – | – | ${Math.round(old.perSecond)} (mean of ${Math.round(old.before.perSecond)} and ${Math.round(old.after.perSecond)}) | – | – | – | – | – |`);
  }
  if (r.idle) lines.push(`| idle probe (50 × 100 ms apart, 1 endpoint) | – | ${ms(r.idle.publishLatencyMs)} | – | ${ms(r.idle.publishToFirstAttemptMs)} | – | – | – | – |`);
  const afterHistory = r.afterHistory ? `end to end after ${r.afterHistory.filled.events} delivered (engine history)` : "after history";
  for (const [name, run] of [["end to end", r.e2e], [`isolation (healthy ${(r.config?.endpoints ?? 20) - (r.config?.hanging ?? 2)} of ${r.config?.endpoints ?? 20})`, r.isolation], [afterHistory, r.afterHistory]] as const) {
    if (!run) continue;
    const db = run.database ?? {};
    lines.push(
      `| ${name}${run.completed ? "" : " (incomplete)"} | ${run.publishesPerSecond} | ${ms(run.publishLatencyMs)} | ${run.deliveriesPerSecond} | ${ms(run.publishToFirstAttemptMs)} | ` +
        `${run.rssPeakMb.totalMb} / ${run.rssPeakMb.nodeMb} / ${run.rssPeakMb.postgresMb}; ${run.rssPeakMb.pssMb ?? "–"} | ${db.transactions}, ${db.rowsInserted}/${db.rowsUpdated}/${db.rowsDeleted}, ${db.walKiB}${db.statements !== undefined ? `; ${db.statements} statements` : ""} | ` +
        `${run.cpuMsPerDelivery ? `${run.cpuMsPerDelivery.node} + ${run.cpuMsPerDelivery.postgres} (${run.loadAverage?.before} → ${run.loadAverage?.after})` : "–"} | ${run.batches ? `${run.batches.runs} × ${run.batches.eventsPerRun}` : "–"} |`,
    );
  }
  if (r.paced) {
    lines.push(
      `| paced ${r.paced.rate}/s × ${r.paced.seconds} s (fan-out ${r.paced.fanout}) | ${r.paced.achievedPerSecond} | ${ms(r.paced.publishLatencyMs)} | – | ${ms(r.paced.publishToFirstAttemptMs)} | ${r.paced.rssPeakMb.totalMb} / ${r.paced.rssPeakMb.nodeMb} / ${r.paced.rssPeakMb.postgresMb}; ${r.paced.rssPeakMb.pssMb ?? "–"} | – | – | – |`,
    );
  }
  for (const [name, run] of [["end to end", r.e2e], ["isolation", r.isolation]] as const) {
    if (run?.publishErrors) lines.push("", `${name}: ${run.publishErrors} publishes failed (first: ${run.firstPublishError})`);
  }
  if (r.e2e) lines.push("", `End to end ÷ limit: **${r.e2e.ratioToLimit}**${r.ratioNodeHttpLimit !== undefined ? ` (÷ the node:http limit: ${r.ratioNodeHttpLimit})` : ""}. Isolation: healthy p99 ${r.isolation?.healthyP99VsE2e ?? "–"}× the end-to-end p99; ${r.isolation?.hangingRequests ?? 0} requests reached the hanging endpoints.`);
  if (r.floor) {
    const rounds = r.floor.rounds.map((round: { ratio: number; perSecond: number; cpuMsPerDelivery: { pipeline: number; postgres: number } }) => `${round.ratio} (${round.perSecond}/s at ${round.cpuMsPerDelivery.pipeline} + ${round.cpuMsPerDelivery.postgres} ms)`).join(", ");
    lines.push("", `The floor (\`bench/floor.ts\`, ${r.floor.shape}, run after the server stopped): ÷ its limit ${rounds}. This run's ratio is **${r.ratioToFloor}** of the floor's.`);
  }
  if (r.paced) lines.push("", `Paced (run last): max ${r.paced.maxInFlight} publishes in flight; ${r.paced.failed} failed; ${r.paced.deliveredDuringPhase} delivered during the phase, ${r.paced.backlogAtEnd} engine calls still queued at its end.${r.paced.benchEventLoopDelayMs ? ` The bench's own event loop ran late by up to ${r.paced.benchEventLoopDelayMs.max} ms (p99 ${r.paced.benchEventLoopDelayMs.p99}).` : ""}${r.paced.engineRuns ? ` Engine runs started (steps memoized) meanwhile: ${(Object.entries(r.paced.engineRuns) as [string, { started: number; steps: number }][]).map(([fn, n]) => `${fn} ${n.started} (${n.steps})`).join(", ")}.` : ""}`);

  if (r.paced?.bySecond) {
    const row = (key: string) => r.paced.bySecond.map((second: Record<string, number | null>) => second[key] ?? "–").join(" | ");
    lines.push("", `| paced, by second sent | ${r.paced.bySecond.map((_: unknown, i: number) => i + 1).join(" | ")} |`, `|---${"|---".repeat(r.paced.bySecond.length)}|`);
    lines.push(`| publish p99 ms | ${row("publishP99")} |`, `| first attempt p99 ms | ${row("firstAttemptP99")} |`);
    for (const [fn, runs] of Object.entries(r.paced.engineRuns ?? {}) as [string, { startedBySecond?: number[]; stepsBySecond: number[] }][]) {
      if (runs.startedBySecond) lines.push(`| ${fn} runs started | ${runs.startedBySecond.slice(0, r.paced.bySecond.length).join(" | ")} |`);
      if (runs.stepsBySecond?.length) lines.push(`| ${fn} steps memoized | ${runs.stepsBySecond.slice(0, r.paced.bySecond.length).join(" | ")} |`);
    }
  }

  if (r.pgStatStatements) {
    lines.push("", `## pg_stat_statements during the end-to-end run (${r.pgStatStatements.deliveries} deliveries)`, "");
    lines.push("| calls | per delivery | total ms | mean ms | query |");
    lines.push("|---|---|---|---|---|");
    for (const s of r.pgStatStatements.top) {
      lines.push(`| ${s.calls} | ${(s.calls / r.pgStatStatements.deliveries).toFixed(2)} | ${s.total_ms} | ${s.mean_ms} | \`${s.query.replaceAll("|", "\\|").replaceAll("`", "'")}\` |`);
    }
  }

  const read = r.readPath;
  if (read) {
    const g = read.generated;
    lines.push("", `## Read path (${g.attempts} attempts, ${g.deliveries} deliveries, ${g.messages} messages, ${g.endpoints} endpoints; generated in ${g.seconds} s)`, "");
    lines.push("| query | server execution median ms (main statement, 20 × EXPLAIN ANALYZE) | EXPLAIN ANALYZE execution ms per statement | round trip median ms (pg, 20 runs) | service median ms (Prisma, 20 runs) | rows |");
    lines.push("|---|---|---|---|---|---|");
    for (const q of read.queries) {
      const exec = q.statements.map((s: { executionMs: number | null }) => s.executionMs).join(" + ");
      lines.push(`| ${q.name} | ${q.executionMedianMs} | ${exec} | ${q.sqlMedianMs} | ${q.serviceMedianMs} | ${q.rows} |`);
    }
    lines.push("", "| HTTP (API key, keep-alive) | median ms | p90 ms | status |", "|---|---|---|---|");
    for (const h of read.http) lines.push(`| GET ${h.path} | ${h.medianMs} | ${h.p90Ms} | ${h.status} |`);
    lines.push("", "### Plans", "");
    for (const q of read.queries) {
      lines.push(`#### ${q.name}`, "");
      for (const s of q.statements) {
        lines.push("```sql", s.sql, `-- params: ${JSON.stringify(s.params)}`, "```", "```", s.explain, "```", "");
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

function fmtLoad(load: number[] | undefined) {
  return load ? load.map((l) => l.toFixed(2)).join(" ") : "–";
}
