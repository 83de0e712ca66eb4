import type { Role } from "@/lib/generated/prisma/enums";

/** One entry of the workspace switcher. */
export type WorkspaceChoice = { id: string; name: string; role: Role; current: boolean };
