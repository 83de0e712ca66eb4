import type { ServiceContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { newId } from "@/lib/ids";

/** A workspace of its own for each test, so no test depends on another's data. */
export async function makeWorkspace(role: Role = "OWNER"): Promise<ServiceContext> {
  const workspace = await db().workspace.create({ data: { id: newId("ws"), name: `Test ${Math.random().toString(36).slice(2, 8)}` } });
  const user = await db().user.create({
    data: { id: newId("usr"), email: `${newId("usr").toLowerCase()}@example.test`, passwordHash: "x" },
  });
  await db().membership.create({ data: { id: newId("mem"), workspaceId: workspace.id, userId: user.id, role } });
  return { workspaceId: workspace.id, role, actor: { type: "user", id: user.id, email: user.email } };
}
