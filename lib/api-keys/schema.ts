import { z } from "zod";

/** Shared by the service (lib/api-keys/keys.ts) and the settings form. */
export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Name the key").max(80),
  role: z.enum(["ADMIN", "VIEWER"]).default("ADMIN"),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;
