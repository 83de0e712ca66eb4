"use client";

import { ExternalLink } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useOpenPortal } from "../api/portal-link";

export function OpenPortalButton({ account, disabled }: { account: string; disabled?: boolean }) {
  const openPortal = useOpenPortal();
  const pending = openPortal.isPending;
  // The tab opens synchronously (popup blockers allow it on click), then goes to the fresh link.
  const open = () => {
    const tab = window.open("about:blank", "_blank");
    openPortal.mutate(account, {
      onSuccess: ({ path }) => {
        if (tab) tab.location.href = path;
        else window.location.href = path;
      },
      onError: (error) => {
        tab?.close();
        toast.error(error.message);
      },
    });
  };
  return (
    <Button type="button" variant="secondary" size="sm" onClick={open} disabled={disabled || pending} className="relative z-10">
      <ExternalLink className="size-3.5" aria-hidden />
      {pending ? "Opening…" : "Open portal"}
    </Button>
  );
}
