"use server";

import { action } from "@/lib/actions/safe-action";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/keys";
import type { CreateApiKeyInput } from "@/lib/api-keys/schema";
import type { Role } from "@/lib/generated/prisma/enums";
import { changeMemberRole, inviteMember, removeMember } from "@/lib/workspaces/members";
import type { InviteMemberInput, RenameWorkspaceInput } from "@/lib/workspaces/schema";
import { renameWorkspace } from "@/lib/workspaces/workspace";
import { toApiKeyView } from "@/components/settings/types";

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
