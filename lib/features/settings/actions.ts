"use server";

import { action } from "@/lib/actions/safe-action";
import { createApiKey, revokeApiKey } from "@/lib/features/settings/api-keys";
import type { CreateApiKeyInput } from "@/lib/features/settings/schema";
import type { Role } from "@/lib/generated/prisma/enums";
import { changeMemberRole, inviteMember, removeMember } from "@/lib/features/settings/members";
import type { InviteMemberInput, RenameWorkspaceInput } from "@/lib/features/settings/schema";
import { renameWorkspace } from "@/lib/features/settings/workspace";
import { toApiKeyView } from "@/lib/features/settings/types";
import type { PortalSettingsInput } from "@/lib/features/portal/schema";
import { updatePortalSettings } from "@/lib/features/portal/settings";

/** The plaintext key leaves the server this once; only its hash is stored. */
export const createApiKeyAction = action(async (ctx, input: CreateApiKeyInput) => {
  const { key, plaintext } = await createApiKey(ctx, input);
  return { key: toApiKeyView(key), plaintext };
});

export const revokeApiKeyAction = action(async (ctx, { id }: { id: string }) => revokeApiKey(ctx, id));

export const inviteMemberAction = action(async (ctx, input: InviteMemberInput) => inviteMember(ctx, input));

export const changeRoleAction = action(async (ctx, input: { membershipId: string; role: Role }) => changeMemberRole(ctx, input));

export const removeMemberAction = action(async (ctx, { membershipId }: { membershipId: string }) => removeMember(ctx, membershipId));

export const renameWorkspaceAction = action(async (ctx, input: RenameWorkspaceInput) => renameWorkspace(ctx, input));

export const updatePortalSettingsAction = action(async (ctx, input: PortalSettingsInput) => updatePortalSettings(ctx, input));
