"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { unwrap } from "@/lib/actions/unwrap";
import { portalResend } from "../actions";

/** The customer sends one delivery again through the portal link's token; the (server-rendered) message page refreshes. */
export function usePortalResend(token: string) {
  const router = useRouter();
  return useMutation({
    mutationFn: (deliveryId: string) => unwrap(portalResend(token, { deliveryIds: [deliveryId] })),
    onSuccess: () => router.refresh(),
  });
}
