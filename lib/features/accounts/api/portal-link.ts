"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { unwrap } from "@/lib/actions/unwrap";
import { openPortalAction, revokePortalLinksAction } from "../actions";

/** A fresh portal link for one account (the operator opens the customer's view). */
export function useOpenPortal() {
  return useMutation({ mutationFn: (account: string) => unwrap(openPortalAction({ account })) });
}

/** Ends every open portal link of one account; the accounts page (server-rendered counts) refreshes. */
export function useRevokePortalLinks() {
  const router = useRouter();
  return useMutation({
    mutationFn: (account: string) => unwrap(revokePortalLinksAction({ account })),
    onSuccess: () => router.refresh(),
  });
}
