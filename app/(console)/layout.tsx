import type { ReactNode } from "react";
import { Shell } from "@/components/shell/shell";
import { requireSessionContext } from "@/lib/auth/session";
import { WorkspaceSwitcher } from "@/lib/features/workspaces/components/workspace-switcher";
import { WorkspaceSync } from "@/lib/features/workspaces/components/workspace-sync";
import { canCreateWorkspace, listMyWorkspaces } from "@/lib/features/workspaces/service";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const ctx = await requireSessionContext();
  const [workspaces, canCreate] = await Promise.all([listMyWorkspaces(ctx), canCreateWorkspace(ctx)]);
  return (
    <Shell
      workspaceName={ctx.workspaceName}
      switcher={<WorkspaceSwitcher workspaces={workspaces} canCreate={canCreate} />}
      email={ctx.actor.email}
      role={ctx.role}
    >
      <WorkspaceSync workspaceId={ctx.workspaceId} />
      {children}
    </Shell>
  );
}
