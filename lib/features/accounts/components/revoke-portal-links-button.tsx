"use client";

import { Ban } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useRevokePortalLinks } from "../api/portal-link";

/** Ends every open portal link of the account (support: a link was shared too widely, a customer left). */
export function RevokePortalLinksButton({ account, open, disabled }: { account: string; open: number; disabled?: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const revokeLinks = useRevokePortalLinks();
  const pending = revokeLinks.isPending;
  const revoke = () =>
    revokeLinks.mutate(account, {
      onSuccess: ({ revoked }) => toast.success(`Ended ${revoked} portal link${revoked === 1 ? "" : "s"} of ${account}.`),
      onError: (error) => toast.error(error.message),
      onSettled: () => setConfirming(false),
    });
  const links = `${open} open link${open === 1 ? "" : "s"}`;
  return (
    <>
      <Button type="button" variant="ghost" size="sm" onClick={() => setConfirming(true)} disabled={disabled || pending} className="relative z-10" aria-label={`Revoke ${links} of ${account}`}>
        <Ban className="size-3.5" aria-hidden />
        Revoke {links}
      </Button>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={revoke}
        pending={pending}
        title="Revoke portal links"
        confirmLabel="Revoke links"
      >
        <p>
          The {links} of <span className="font-mono">{account}</span> stop working now; anyone using one is turned away at their next click. The
          account&apos;s endpoints stay as they are, and your app can create a new link at any time.
        </p>
      </ConfirmDialog>
    </>
  );
}
