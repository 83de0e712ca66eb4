"use client";

import { useMutation } from "@tanstack/react-query";
import { unwrap } from "@/lib/actions/unwrap";
import type { MutationConfig } from "@/lib/api-client";
import { createWorkspaceAction, switchWorkspaceAction } from "../actions";
import type { CreateWorkspaceInput } from "../schema";

type Created = Awaited<ReturnType<typeof createWorkspaceAction>> extends infer R ? (R extends { ok: true; data: infer D } ? D : never) : never;

/** A new, empty workspace owned by the signed-in user (the caller enters it). */
export function useCreateWorkspace(config: MutationConfig<Created, CreateWorkspaceInput> = {}) {
  return useMutation({ mutationFn: (values: CreateWorkspaceInput) => unwrap(createWorkspaceAction(values)), ...config });
}

/** Makes another of the user's workspaces the current one (the caller reloads into it). */
export function useSwitchWorkspace() {
  return useMutation({ mutationFn: (workspaceId: string) => unwrap(switchWorkspaceAction({ workspaceId })) });
}
