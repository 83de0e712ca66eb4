import pg from "pg";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ServiceContext } from "@/lib/context";
import { open } from "@/lib/crypto/secret-box";
import { createPrismaClient, setDb, type Db } from "@/lib/db/client";
import { resetEnv } from "@/lib/env";
import { createEndpoint, revealSecret, rotateSecret } from "@/lib/features/endpoints/service";
import { makeWorkspace } from "@/tests/helpers/factories";
import { useTestDb } from "@/tests/helpers/services";

process.env.HOOKLINE_ENCRYPTION_KEY = Buffer.alloc(32, 3).toString("base64");
process.env.HOOKLINE_ALLOW_PRIVATE_NETWORKS = "true";
resetEnv();

let db: Db;
let url: string;
let ctx: ServiceContext;
beforeAll(async () => {
  ({ db, url } = await useTestDb());
  ctx = await makeWorkspace("OWNER");
});

describe("concurrent secret rotations (finding 9)", () => {
  it("never lose the secret another rotation just handed out", async () => {
    const endpoint = await createEndpoint(ctx, { title: "Rotating", url: "http://127.0.0.1:9/hook" });
    // Hold the row so two rotations are both in flight before either writes: the race, made certain.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query(`SELECT 1 FROM "Endpoint" WHERE id = $1 FOR UPDATE`, [endpoint.id]);
    // Two clients, because one Prisma client sends its queries one at a time.
    const second = createPrismaClient(url);
    const first = rotateSecret(ctx, endpoint.id, { graceSeconds: 3600 });
    setDb(second);
    const racing = Promise.all([first, rotateSecret(ctx, endpoint.id, { graceSeconds: 3600 })]);
    setDb(db);
    await vi.waitFor(async () => {
      const { rows } = await holder.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
      );
      expect(rows[0].n).toBeGreaterThanOrEqual(1);
    });
    await holder.query("COMMIT");
    await holder.end();
    const handedOut = (await racing).map((rotation) => rotation.secret);
    await second.$disconnect();
    const row = await db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id }, select: { secretEnc: true, previousSecretEnc: true } });
    // Both secrets just handed out still sign: one current, the other previous. Before the fix the
    // second rotation wrote the original secret (which it had read) as previous, dropping the first's.
    expect([open(row.secretEnc), open(row.previousSecretEnc!)].sort()).toEqual([...handedOut].sort());
    expect((await revealSecret(ctx, endpoint.id)).previousSecretExpiresAt).not.toBeNull();
  });

  it("a rotation of another workspace's endpoint is a 404 and changes nothing", async () => {
    const endpoint = await createEndpoint(ctx, { title: "Mine", url: "http://127.0.0.1:9/hook" });
    const stranger = await makeWorkspace("OWNER");
    await expect(rotateSecret(stranger, endpoint.id, {})).rejects.toMatchObject({ status: 404 });
    expect((await revealSecret(ctx, endpoint.id)).secret).toBe(endpoint.secret);
  });
});
