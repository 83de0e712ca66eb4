"use client";

import { useMutation } from "@tanstack/react-query";
import { unwrap } from "@/lib/actions/unwrap";
import { openPortalAction } from "../actions";

/** A fresh portal link for one account (the operator opens the customer's view). */
export function useOpenPortal() {
  return useMutation({ mutationFn: (account: string) => unwrap(openPortalAction({ account })) });
}
