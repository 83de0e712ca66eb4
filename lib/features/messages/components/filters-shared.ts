import { DELIVERY_STATUSES } from "@/lib/features/messages/schema";

// The message log's filters live in the URL (shareable); server page and client read them the same way.
export const FILTER_KEYS = ["eventType", "account", "status", "since", "until", "includeTests"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type MessageFilters = Partial<Record<FilterKey, string>>;

export const PAGE_SIZE = 25;
export { DELIVERY_STATUSES };

export function pickFilters(params: Record<string, string | string[] | undefined>): MessageFilters {
  const filters: MessageFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params[key];
    const text = Array.isArray(value) ? value[0] : value;
    if (text && text.trim()) filters[key] = text.trim();
  }
  return filters;
}

/** Filters that narrow the log (includeTests widens it, so it does not count). */
export function hasNarrowingFilters(filters: MessageFilters): boolean {
  return FILTER_KEYS.some((key) => key !== "includeTests" && filters[key]);
}

export function filtersToSearch(filters: MessageFilters, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...extra })) if (value) params.set(key, value);
  return params.toString();
}
