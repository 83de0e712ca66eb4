import { beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { listWorkspaceRuns } from "@/lib/features/runs/queries";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

let db: Db;
let mine: ServiceContext;
let other: ServiceContext;

async function addRun(id: string, data: Record<string, unknown>, error: unknown = null) {
  const payload = JSON.stringify({ id: `evt_${id}`, name: "hookline/delivery.requested", data, ts: Date.now() });
  await db.$executeRawUnsafe(`INSERT INTO inngest_engine.events (id, name, payload) VALUES ($1, 'hookline/delivery.requested', $2::json)`, `evt_${id}`, payload);
  await db.$executeRawUnsafe(
    `INSERT INTO inngest_engine.runs (id, function_id, event_id, event_name, status, error) VALUES ($1, 'hookline-deliver', $2, 'hookline/delivery.requested', $3, $4::json)`,
    id,
    `evt_${id}`,
    error ? "FAILED" : "COMPLETED",
    error ? JSON.stringify(error) : null,
  );
}

beforeAll(async () => {
  const { url, db: client } = await useTestDb();
  db = client;
  process.env.DATABASE_URL = url;
  process.env.HOOKLINE_EXECUTOR = "local-engine";
  resetEnv();
  mine = await makeWorkspace("OWNER");
  other = await makeWorkspace("OWNER");
  const endpoint = await db.endpoint.create({
    data: { id: "ep_mine_runs", workspaceId: mine.workspaceId, title: "t", url: "http://127.0.0.1:9/", secretEnc: "x" },
  });
  // Run ids sort by time: one of mine first, then many of the other workspace's newer ones.
  await addRun("run_0001", { deliveryId: "dlv_1", endpointId: endpoint.id }, {
    name: "Error",
    message: "database unreachable",
    stack: "Error: database unreachable\n    at attemptDelivery (/app/lib/delivery/attempt.ts:42:11)",
  });
  for (let n = 2; n <= 30; n++) await addRun(`run_${String(n).padStart(4, "0")}`, { workspaceId: other.workspaceId, deliveryIds: ["dlv_x"] });
});

describe("/api/v1/runs (finding 9)", () => {
  it("filters by workspace before LIMIT: my one old run is on the first page of 5", async () => {
    const page = await listWorkspaceRuns(mine, { limit: 5 });
    expect(page.data.map((run) => run.id)).toEqual(["run_0001"]);
    expect(page.nextCursor).toBeNull();
    const theirs = await listWorkspaceRuns(other, { limit: 5 });
    expect(theirs.data).toHaveLength(5);
    expect(theirs.data.every((run) => (run.event.data as { workspaceId: string }).workspaceId === other.workspaceId)).toBe(true);
  });

  it("returns no stack traces", async () => {
    const [run] = (await listWorkspaceRuns(mine, {})).data;
    expect(run!.error).toEqual({ name: "Error", message: "database unreachable" });
    expect(JSON.stringify(run)).not.toContain("attempt.ts:42");
  });
});
