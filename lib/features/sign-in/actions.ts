"use server";

import { z } from "zod";
import { AppError } from "@/lib/errors";
import { createFirstAdmin, firstAdminSchema } from "@/lib/features/sign-in/service";
import { logger } from "@/lib/log";

export type SetupState = {
  ok?: boolean;
  email?: string;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** What was typed (never the password), so the form can show it again: React resets forms after an action. */
  values?: { email: string; workspaceName: string };
};

export async function setupAction(_previous: SetupState, form: FormData): Promise<SetupState> {
  const input = {
    email: String(form.get("email") ?? ""),
    password: String(form.get("password") ?? ""),
    workspaceName: String(form.get("workspaceName") ?? ""),
    setupToken: String(form.get("setupToken") ?? ""),
  };
  const values = { email: input.email, workspaceName: input.workspaceName };
  const parsed = firstAdminSchema.safeParse(input);
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  try {
    await createFirstAdmin(input);
    return { ok: true, email: parsed.data.email };
  } catch (error) {
    if (error instanceof AppError) {
      const fieldErrors = error.code === "setup_token_invalid" ? (error.details as SetupState["fieldErrors"]) : undefined;
      return { message: error.message, fieldErrors, values };
    }
    logger().error({ err: error }, "first-run setup failed");
    return { message: "Setup failed on our side. Check the server log and try again.", values };
  }
}
