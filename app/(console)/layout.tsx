import type { ReactNode } from "react";
import { Shell } from "@/components/shell/shell";
import { requireSessionContext } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const ctx = await requireSessionContext();
  return (
    <Shell workspaceName={ctx.workspaceName} email={ctx.actor.email} role={ctx.role}>
      {children}
    </Shell>
  );
}
