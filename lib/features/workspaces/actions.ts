"use server";

import { action } from "@/lib/actions/safe-action";
import type { CreateWorkspaceInput, SwitchWorkspaceInput } from "@/lib/features/workspaces/schema";
import { createWorkspace, switchWorkspace } from "@/lib/features/workspaces/service";

export const createWorkspaceAction = action(async (ctx, input: CreateWorkspaceInput) => createWorkspace(ctx, input));

export const switchWorkspaceAction = action(async (ctx, input: SwitchWorkspaceInput) => switchWorkspace(ctx, input));
