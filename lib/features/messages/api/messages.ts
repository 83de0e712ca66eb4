"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "@/lib/actions/unwrap";
import { apiFetch } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import { resendDeliveryAction } from "../actions";
import { filtersToSearch, PAGE_SIZE, type MessageFilters } from "../components/filters-shared";
import type { MessageDetail, MessagePage } from "../types";

/** The message log under `filters`, newest first, one page of PAGE_SIZE at a time (the server rendered the first). */
export function useMessages(filters: MessageFilters, initialPage: MessagePage) {
  return useInfiniteQuery({
    queryKey: queryKeys.messages.list(filters),
    queryFn: ({ pageParam }) => apiFetch<MessagePage>(`/messages?${filtersToSearch(filters, { limit: String(PAGE_SIZE), cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    initialData: { pages: [initialPage], pageParams: [undefined] },
  });
}

/**
 * One message with its deliveries. `poll(data)` says how often to refetch (ms) or `false`: the
 * detail page follows it while something is in flight, the playground for a while after firing.
 */
export function useMessage(id: string, options: { initial?: MessageDetail; poll: (data: MessageDetail | undefined) => number | false }) {
  return useQuery({
    queryKey: queryKeys.messages.detail(id),
    queryFn: () => apiFetch<MessageDetail>(`/messages/${id}`),
    initialData: options.initial,
    refetchInterval: (current) => options.poll(current.state.data),
  });
}

/** Queues a new attempt of one delivery; the message (and, lazily, every list) refreshes. */
export function useResendDelivery(messageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) => unwrap(resendDeliveryAction({ deliveryId })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.messages.detail(messageId) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.messages.all, refetchType: "none" });
    },
  });
}
