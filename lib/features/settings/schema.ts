import { z } from "zod";
import { workspaceNameSchema } from "@/lib/features/workspaces/schema";

/** Mirrors MIN_PASSWORD_LENGTH in lib/auth/password.ts, which is server-only (argon2). */
export const MEMBER_PASSWORD_MIN = 12;

export const roleSchema = z.enum(["OWNER", "ADMIN", "VIEWER"]);

export const inviteMemberSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address")),
  password: z.string().min(MEMBER_PASSWORD_MIN, `Use at least ${MEMBER_PASSWORD_MIN} characters`).max(200),
  role: roleSchema.default("VIEWER"),
});
export type InviteMemberInput = z.input<typeof inviteMemberSchema>;

export const changeRoleSchema = z.object({
  membershipId: z.string().min(1).max(100),
  role: roleSchema,
});

export const renameWorkspaceSchema = z.object({ name: workspaceNameSchema });
export type RenameWorkspaceInput = z.input<typeof renameWorkspaceSchema>;

/** Shared by the API key service (api-keys.ts) and the settings form. */
export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Name the key").max(80),
  role: z.enum(["ADMIN", "VIEWER"]).default("ADMIN"),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;
