"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { unwrap } from "@/lib/actions/unwrap";
import type { MutationConfig } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import {
  changeRoleAction,
  createApiKeyAction,
  inviteMemberAction,
  removeMemberAction,
  renameWorkspaceAction,
  revokeApiKeyAction,
  updatePortalSettingsAction,
} from "../actions";

type Data<A extends (input: never) => Promise<{ ok: boolean }>> = Extract<Awaited<ReturnType<A>>, { ok: true }> extends { data: infer D } ? D : never;
type Input<A extends (input: never) => unknown> = Parameters<A>[0];

/**
 * One settings mutation: the action, then the page's server data (the settings page is rendered
 * on the server) and the given query family are refreshed; the caller adds its toasts.
 */
function useSettingsMutation<A extends (input: never) => Promise<{ ok: boolean }>, V = Input<A>>(
  call: (variables: V) => ReturnType<A>,
  invalidates: readonly unknown[] | null,
  config: MutationConfig<Data<A>, V>,
) {
  const router = useRouter();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables: V) => unwrap(call(variables) as never) as Promise<Data<A>>,
    onSuccess: (data, variables) => {
      if (invalidates) void queryClient.invalidateQueries({ queryKey: invalidates });
      router.refresh();
      config.onSuccess?.(data, variables);
    },
    onError: config.onError,
  });
}

export const useCreateApiKey = (config: MutationConfig<Data<typeof createApiKeyAction>, Input<typeof createApiKeyAction>> = {}) =>
  useSettingsMutation<typeof createApiKeyAction>(createApiKeyAction, queryKeys.apiKeys.all, config);

export const useRevokeApiKey = (config: MutationConfig<Data<typeof revokeApiKeyAction>, string> = {}) =>
  useSettingsMutation<typeof revokeApiKeyAction, string>((id) => revokeApiKeyAction({ id }), queryKeys.apiKeys.all, config);

export const useInviteMember = (config: MutationConfig<Data<typeof inviteMemberAction>, Input<typeof inviteMemberAction>> = {}) =>
  useSettingsMutation<typeof inviteMemberAction>(inviteMemberAction, queryKeys.members.all, config);

export const useChangeRole = (config: MutationConfig<Data<typeof changeRoleAction>, Input<typeof changeRoleAction> & { email: string }> = {}) =>
  useSettingsMutation<typeof changeRoleAction, Input<typeof changeRoleAction> & { email: string }>(
    ({ membershipId, role }) => changeRoleAction({ membershipId, role }),
    queryKeys.members.all,
    config,
  );

export const useRemoveMember = (config: MutationConfig<Data<typeof removeMemberAction>, { membershipId: string; email: string }> = {}) =>
  useSettingsMutation<typeof removeMemberAction, { membershipId: string; email: string }>(({ membershipId }) => removeMemberAction({ membershipId }), queryKeys.members.all, config);

export const useRenameWorkspace = (config: MutationConfig<Data<typeof renameWorkspaceAction>, Input<typeof renameWorkspaceAction>> = {}) =>
  useSettingsMutation<typeof renameWorkspaceAction>(renameWorkspaceAction, null, config); // the shell shows the name: the page refresh is what matters

export const useSavePortalSettings = (config: MutationConfig<Data<typeof updatePortalSettingsAction>, Input<typeof updatePortalSettingsAction>> = {}) =>
  useSettingsMutation<typeof updatePortalSettingsAction>(updatePortalSettingsAction, null, config);
