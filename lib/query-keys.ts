/**
 * The one query-key factory. Components and mutations use these, never a
 * hand-written array, so an invalidation always reaches every query it should.
 */
export const queryKeys = {
  endpoints: {
    all: ["endpoints"] as const,
    list: () => [...queryKeys.endpoints.all, "list"] as const,
    detail: (id: string) => [...queryKeys.endpoints.all, "detail", id] as const,
    attempts: (id: string) => [...queryKeys.endpoints.all, "detail", id, "attempts"] as const,
    recovery: (id: string, startedAt: string) => [...queryKeys.endpoints.all, "detail", id, "recovery", startedAt] as const,
  },
  messages: {
    all: ["messages"] as const,
    list: (filters: Record<string, string | undefined>) => [...queryKeys.messages.all, "list", filters] as const,
    detail: (id: string) => [...queryKeys.messages.all, "detail", id] as const,
  },
  eventTypes: {
    all: ["event-types"] as const,
    /** The whole catalog, archived included (the event types page filters it client-side). */
    catalog: () => [...queryKeys.eventTypes.all, "catalog"] as const,
  },
  apiKeys: { all: ["api-keys"] as const },
  members: { all: ["members"] as const },
  runs: { all: ["runs"] as const, list: (filters: Record<string, string | undefined>) => ["runs", "list", filters] as const },
  overview: { all: ["overview"] as const },
};
