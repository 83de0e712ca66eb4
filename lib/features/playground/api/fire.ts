"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "@/lib/actions/unwrap";
import { queryKeys } from "@/lib/query-keys";
import { firePlaygroundEventAction } from "../actions";

/** Publishes a sample event as the app would and explains each endpoint's match; the message lists refresh. */
export function useFirePlaygroundEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Parameters<typeof firePlaygroundEventAction>[0]) => unwrap(firePlaygroundEventAction(input)),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.messages.all }),
  });
}
