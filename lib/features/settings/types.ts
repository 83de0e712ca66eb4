/** What the settings UI shows of an API key: never the hash, never the key itself after creation. */
export type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  role: "OWNER" | "ADMIN" | "VIEWER";
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export function toApiKeyView(row: {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role as ApiKeyView["role"],
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export type MemberView = {
  id: string;
  userId: string;
  email: string;
  role: "OWNER" | "ADMIN" | "VIEWER";
  joinedAt: string;
  isYou: boolean;
};

export const ROLE_HELP = {
  OWNER: "Everything, including members and roles.",
  ADMIN: "Configures endpoints, event types and API keys; invites people.",
  VIEWER: "Reads everything, changes nothing.",
} as const;
