"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { EventType } from "../types";

type Props = { target: EventType | null; onClose: () => void; onConfirm: (eventType: EventType) => Promise<void> };

/** Archive and unarchive both ask first: archiving makes publishing the type fail. */
export function ArchiveDialog({ target, onClose, onConfirm }: Props) {
  const [pending, setPending] = useState(false);
  const archiving = target ? !target.archived : true;
  return (
    <Dialog open={target !== null} onClose={onClose} title={archiving ? "Archive event type" : "Unarchive event type"}>
      {target && (
        <div className="space-y-4">
          <p className="text-sm text-zinc-700">
            {archiving ? (
              <>
                Archive <span className="font-mono font-medium">{target.name}</span>? Publishing it will be refused from now on. Its
                messages stay readable and endpoints keep their subscription, so you can unarchive it later.
              </>
            ) : (
              <>
                Unarchive <span className="font-mono font-medium">{target.name}</span>? Your application can publish it again.
              </>
            )}
          </p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button
              variant={archiving ? "danger" : "primary"}
              pending={pending}
              onClick={async () => {
                setPending(true);
                try {
                  await onConfirm(target);
                } finally {
                  setPending(false);
                }
              }}
            >
              {archiving ? "Archive" : "Unarchive"}
            </Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
