"use client";

import { LifeBuoy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useRecover, useRecoveryProgress, type Recovery } from "../../api/endpoint";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormField } from "@/components/ui/field";
import { Input } from "@/components/ui/inputs";

/** `datetime-local` wants local wall-clock time without a zone. */
function localInputValue(date: Date) {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "Recover failed since…": requeues failed (and paused) deliveries with the full retry schedule, and follows them. */
export function RecoverCard({ endpointId }: { endpointId: string }) {
  const [since, setSince] = useState(() => localInputValue(new Date(Date.now() - 24 * 3600 * 1000)));
  const [recovery, setRecovery] = useState<Recovery | null>(null);

  const start = useRecover(endpointId, {
    onSuccess: (started) => {
      setRecovery(started);
      if (started.deliveries === 0) toast.info("Nothing to recover: no failed deliveries since then");
      else toast.success(`Recovering ${started.deliveries} ${started.deliveries === 1 ? "delivery" : "deliveries"}`);
    },
    onError: (error) => toast.error(error.message),
  });

  const progress = useRecoveryProgress(endpointId, recovery);

  const total = recovery?.deliveries ?? 0;
  const data = progress.data;
  const requeued = data ? Math.max(0, total - data.waiting) : 0;
  const done = data && data.waiting === 0 && data.inFlight === 0;

  return (
    <Card title="Recover failed deliveries" description="Sends every failed delivery since a time again, each with the full retry schedule — after an outage on the receiver's side.">
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          start.mutate(new Date(since).toISOString());
        }}
      >
        <FormField label="Failed since">
          <Input id="recover-since" type="datetime-local" value={since} onChange={(event) => setSince(event.target.value)} required max={localInputValue(new Date())} />
        </FormField>
        <Button type="submit" variant="secondary" pending={start.isPending} disabled={!since}>
          <LifeBuoy className="size-4" aria-hidden />
          Recover
        </Button>
      </form>

      {recovery && recovery.deliveries > 0 && (
        <div className="mt-4 space-y-2" aria-live="polite">
          <div className="flex items-baseline justify-between text-sm">
            <span className="font-medium">
              {done ? "Recovery finished" : "Recovering"} {total} {total === 1 ? "delivery" : "deliveries"}
            </span>
            <span className="text-zinc-500 tabular-nums">
              {requeued} of {total} requeued
            </span>
          </div>
          <div className="h-2 overflow-hidden rounded-full bg-zinc-100" role="progressbar" aria-label="Recovery progress" aria-valuemin={0} aria-valuemax={total} aria-valuenow={requeued}>
            <div className="h-full rounded-full bg-brand-600 transition-all" style={{ width: `${total ? (requeued / total) * 100 : 0}%` }} />
          </div>
          {data && (
            <p className="text-xs text-zinc-500 tabular-nums">
              {data.succeeded} delivered · {data.inFlight} in flight · {data.failedAgain} failed again · {data.waiting} waiting
            </p>
          )}
          {progress.isError && <p className="text-sm text-red-600">Could not read the progress: {progress.error.message}</p>}
        </div>
      )}
      {recovery && recovery.deliveries === 0 && <p className="mt-3 text-sm text-zinc-500">No failed deliveries since {new Date(recovery.since).toLocaleString()}.</p>}
    </Card>
  );
}
