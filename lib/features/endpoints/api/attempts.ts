"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MutationConfig } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import { useEndpointOps, type EndpointOps } from "./ops";

const POLL_MS = 2000;

/** The endpoint's last 10 attempts, polled every 2 s while the tab is visible (React Query pauses it in the background). */
export function useAttempts(endpointId: string) {
  const ops = useEndpointOps();
  return useQuery({
    queryKey: queryKeys.endpoints.attempts(endpointId),
    queryFn: () => ops.listAttempts(endpointId),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
}

/** The message an attempt sent (its body is stored once, with the message); only fetched while `enabled`. */
export function useAttemptMessage(messageId: string | null, enabled: boolean) {
  const ops = useEndpointOps();
  return useQuery({
    queryKey: queryKeys.messages.detail(messageId ?? ""),
    queryFn: () => ops.getMessage(messageId!),
    enabled: enabled && messageId !== null,
    staleTime: 60_000,
  });
}

/** Queues a new attempt of a delivery; the attempts list refreshes. */
export function useResendDelivery(endpointId: string, config: MutationConfig<Awaited<ReturnType<EndpointOps["resend"]>>, string> = {}) {
  const ops = useEndpointOps();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) => ops.resend({ deliveryIds: [deliveryId] }),
    onSuccess: (data, deliveryId) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.endpoints.attempts(endpointId) });
      config.onSuccess?.(data, deliveryId);
    },
    onError: config.onError,
  });
}
