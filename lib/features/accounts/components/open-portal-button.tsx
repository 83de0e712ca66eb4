"use client";

import { ExternalLink } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { openPortalAction } from "@/lib/features/accounts/actions";

export function OpenPortalButton({ account, disabled }: { account: string; disabled?: boolean }) {
  const [pending, start] = useTransition();
  // The tab opens synchronously (popup blockers allow it on click), then goes to the fresh link.
  const open = () =>
    start(async () => {
      const tab = window.open("about:blank", "_blank");
      const result = await openPortalAction({ account });
      if (!result.ok) {
        tab?.close();
        toast.error(result.error.message);
        return;
      }
      if (tab) tab.location.href = result.data.path;
      else window.location.href = result.data.path;
    });
  return (
    <Button type="button" variant="secondary" size="sm" onClick={open} disabled={disabled || pending} className="relative z-10">
      <ExternalLink className="size-3.5" aria-hidden />
      {pending ? "Opening…" : "Open portal"}
    </Button>
  );
}
