"use client";

import { Ban } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { revokePortalLinksAction } from "@/lib/features/accounts/actions";

/** Ends every open portal link of the account (support: a link was shared too widely, a customer left). */
export function RevokePortalLinksButton({ account, open, disabled }: { account: string; open: number; disabled?: boolean }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, start] = useTransition();
  const revoke = () =>
    start(async () => {
      const result = await revokePortalLinksAction({ account });
      setConfirming(false);
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      toast.success(`Ended ${result.data.revoked} portal link${result.data.revoked === 1 ? "" : "s"} of ${account}.`);
      router.refresh();
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
