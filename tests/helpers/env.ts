import { resetEnv } from "@/lib/env";
import { resetAdmission } from "@/lib/features/messages/admission";

/** Runs `work` with HOOKLINE_* overrides, restoring the environment and admission figures after. */
export async function withEnv<T>(overrides: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(overrides).map((name) => [name, process.env[name]]));
  Object.assign(process.env, overrides);
  resetEnv();
  resetAdmission();
  try {
    return await work();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetEnv();
    resetAdmission();
  }
}
