import type { FireResult } from "@/lib/features/playground/fire";

export type PlaygroundTemplate = { name: string; description: string; example: Record<string, unknown> | null; inCatalog: boolean };
export type { FireResult };
