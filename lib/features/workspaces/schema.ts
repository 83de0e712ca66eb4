import { z } from "zod";

/** A workspace's name: the switcher and the shell show it; endpoints and receivers never see it. */
export const workspaceNameSchema = z.string().trim().min(1, "Name your workspace").max(80, "Keep it under 80 characters");

export const createWorkspaceSchema = z.object({ name: workspaceNameSchema });
export type CreateWorkspaceInput = z.input<typeof createWorkspaceSchema>;

export const switchWorkspaceSchema = z.object({ workspaceId: z.string().trim().min(1).max(100) });
export type SwitchWorkspaceInput = z.input<typeof switchWorkspaceSchema>;
