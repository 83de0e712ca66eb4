import { Eye } from "lucide-react";
import type { Metadata } from "next";
import { ApiKeysSection } from "@/lib/features/settings/components/api-keys";
import { MembersSection } from "@/lib/features/settings/components/members";
import { toApiKeyView } from "@/lib/features/settings/types";
import { WorkspaceSection } from "@/lib/features/settings/components/workspace-name";
import { PortalSettingsSection } from "@/lib/features/settings/components/portal-settings";
import { getPortalSettings } from "@/lib/features/portal/settings";
import { PageHeader } from "@/components/ui/page-header";
import { listApiKeys } from "@/lib/features/settings/api-keys";
import { requireSessionContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/context";
import { listMembers, memberPermissions } from "@/lib/features/settings/members";
import { getWorkspace } from "@/lib/features/settings/workspace";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const ctx = await requireSessionContext();
  const [workspace, keys, members, portal] = await Promise.all([getWorkspace(ctx), listApiKeys(ctx), listMembers(ctx), getPortalSettings(ctx)]);
  const canWrite = hasRole(ctx, "ADMIN");
  return (
    <>
      <PageHeader title="Settings" description="API keys for your application, the people who can sign in, and the workspace's name." />
      {!canWrite && (
        <div role="status" className="mb-6 flex items-center gap-2 rounded-md bg-zinc-100 px-3 py-2 text-sm text-zinc-700">
          <Eye className="size-4 text-zinc-500" aria-hidden /> You have read-only access. An owner or admin can change these settings.
        </div>
      )}
      <div className="space-y-6">
        <ApiKeysSection keys={keys.map(toApiKeyView)} canWrite={canWrite} />
        <MembersSection members={members} permissions={memberPermissions(ctx)} />
        <PortalSettingsSection settings={portal} canWrite={canWrite} />
        <WorkspaceSection name={workspace.name} id={workspace.id} canWrite={canWrite} />
      </div>
    </>
  );
}
