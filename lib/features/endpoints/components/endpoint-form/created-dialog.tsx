"use client";

import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";

/** Shown once after creating: the endpoint's signing secret, to give to the receiver. */
export function CreatedDialog({ created, onContinue }: { created: { id: string; secret: string } | null; onContinue: () => void }) {
  return (
    <Dialog open={created !== null} onClose={onContinue} title="Endpoint created">
      {created && (
        <div className="space-y-4">
          <p className="text-sm text-zinc-600">
            This is the endpoint&apos;s signing secret. Give it to the receiver so it can verify requests. You can reveal it again later from the
            endpoint page (admins only).
          </p>
          <div className="flex items-center gap-2">
            <code aria-label="Signing secret" className="min-w-0 flex-1 rounded-md break-all bg-zinc-100 px-3 py-2 font-mono text-sm ring-1 ring-zinc-200">
              {created.secret}
            </code>
            <CopyButton value={created.secret} />
          </div>
          <div className="flex justify-end">
            <Button type="button" onClick={onContinue}>
              Continue to the endpoint
            </Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
