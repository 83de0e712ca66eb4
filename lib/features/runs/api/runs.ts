"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import type { RunsPage } from "../types";

export type RunFilters = { status?: string; functionId?: string; cursor?: string };

/**
 * The engine's runs under `filters`, 50 a page. Only the newest page moves (polled every 3 s);
 * older pages are history. The server rendered the unfiltered first page (`initial`, `loadedAt`).
 */
export function useRuns(filters: RunFilters, initial: { page: RunsPage; loadedAt: number } | undefined) {
  return useQuery({
    queryKey: queryKeys.runs.list(filters),
    queryFn: () => {
      const params = new URLSearchParams({ limit: "50" });
      for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
      return apiFetch<RunsPage>(`/runs?${params}`);
    },
    initialData: initial?.page,
    initialDataUpdatedAt: initial?.loadedAt,
    refetchInterval: filters.cursor ? false : 3000,
    placeholderData: keepPreviousData,
  });
}
