"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MutationConfig } from "@/lib/api-client";
import type { EndpointCreateInput } from "@/lib/features/endpoints/schema";
import { queryKeys } from "@/lib/query-keys";
import { useEndpointOps, type EndpointOps } from "./ops";

type Result<K extends keyof EndpointOps> = EndpointOps[K] extends (...args: never[]) => Promise<infer O> ? O : never;

/** Creates an endpoint (no `endpointId`) or replaces one's settings; resolves to its id (and, when created, its secret). */
export function useSaveEndpoint(endpointId?: string) {
  const ops = useEndpointOps();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: EndpointCreateInput): Promise<{ id: string; secret?: string }> =>
      endpointId ? ops.update({ id: endpointId, patch: input }) : ops.create(input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.endpoints.all }),
  });
}

/** Pauses or resumes new deliveries to the endpoint. */
export function useSetEnabled(endpointId: string, config: MutationConfig<Result<"setEnabled">, boolean> = {}) {
  const ops = useEndpointOps();
  return useMutation({ mutationFn: (enabled: boolean) => ops.setEnabled({ id: endpointId, enabled }), ...config });
}

/** Shows the signing secret (`reveal`) or replaces it (`rotate`, the old one keeps signing for a while where the scheme allows). */
export function useSecret(endpointId: string, config: MutationConfig<Result<"revealSecret">, "reveal" | "rotate"> = {}) {
  const ops = useEndpointOps();
  return useMutation({
    mutationFn: (kind: "reveal" | "rotate") => (kind === "reveal" ? ops.revealSecret({ id: endpointId }) : ops.rotateSecret({ id: endpointId })),
    ...config,
  });
}

/** Delivers one test message to the endpoint now; the attempts list refreshes. */
export function useSendTest(endpointId: string, config: MutationConfig<Result<"sendTest">["attempt"], { eventType: string; body: string }> = {}) {
  const ops = useEndpointOps();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { eventType: string; body: string }) => (await ops.sendTest({ id: endpointId, ...input })).attempt,
    onSuccess: (attempt, input) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.endpoints.attempts(endpointId) });
      config.onSuccess?.(attempt, input);
    },
    onError: config.onError,
  });
}

export type Recovery = { since: string; startedAt: string; deliveries: number };

/** Requeues the endpoint's failed (and paused) deliveries since a time, each with the full retry schedule. */
export function useRecover(endpointId: string, config: MutationConfig<Recovery, string> = {}) {
  const ops = useEndpointOps();
  return useMutation({
    mutationFn: async (sinceIso: string): Promise<Recovery> => {
      const { startedAt, deliveries } = await ops.recover({ id: endpointId, since: sinceIso });
      return { since: sinceIso, startedAt, deliveries };
    },
    ...config,
  });
}

/** How far a recovery got, polled every 2 s until nothing waits or is in flight. */
export function useRecoveryProgress(endpointId: string, recovery: Recovery | null) {
  const ops = useEndpointOps();
  return useQuery({
    queryKey: queryKeys.endpoints.recovery(endpointId, recovery?.startedAt ?? ""),
    queryFn: () => ops.recoveryProgress({ id: endpointId, since: recovery!.since, startedAt: recovery!.startedAt }),
    enabled: recovery !== null && recovery.deliveries > 0,
    refetchInterval: (query) => (query.state.data && query.state.data.waiting === 0 && query.state.data.inFlight === 0 ? false : 2000),
  });
}
