"use client";

import { RotateCw } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/time";
import { AttemptList } from "./attempt-list";
import { statusLabel, statusTone } from "./delivery-summary";
import type { DeliveryDetail } from "../types";

type Props = {
  delivery: DeliveryDetail;
  canWrite: boolean;
  resending: boolean;
  onResend: (deliveryId: string) => void;
  /** Where the endpoint's page is for this reader (the customer portal has its own). */
  endpointHref?: (endpointId: string) => string;
};

/** One endpoint's delivery of the message: where it stands, each try, and a manual resend. */
export function DeliveryCard({ delivery, canWrite, resending, onResend, endpointHref = (id) => `/endpoints/${id}` }: Props) {
  const busy = delivery.status === "SENDING";
  return (
    <section
      aria-label={`Delivery to ${delivery.endpoint.title}`}
      data-testid="delivery"
      className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-zinc-200"
    >
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-4 py-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <Link href={endpointHref(delivery.endpointId)} className="text-sm font-semibold text-zinc-900 hover:underline">
              {delivery.endpoint.title}
            </Link>
            <Badge tone={statusTone(delivery.status)}>{statusLabel(delivery.status)}</Badge>
          </div>
          <p className="mt-0.5 truncate font-mono text-xs text-zinc-500" title={delivery.endpoint.url}>
            {delivery.endpoint.url}
          </p>
          <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-xs text-zinc-600">
            <div className="flex gap-1">
              <dt>Attempts</dt>
              <dd className="font-medium text-zinc-900">{delivery.attemptCount}</dd>
            </div>
            {delivery.lastResponseStatus !== null && (
              <div className="flex gap-1">
                <dt>Last response</dt>
                <dd className="font-mono font-medium text-zinc-900">{delivery.lastResponseStatus}</dd>
              </div>
            )}
            {delivery.lastErrorCode && delivery.lastErrorCode !== "HTTP_ERROR" && (
              <div className="flex gap-1">
                <dt>Last error</dt>
                <dd className="font-mono font-medium text-red-700">{delivery.lastErrorCode}</dd>
              </div>
            )}
            {delivery.nextAttemptAt && (delivery.status === "PENDING" || delivery.status === "SENDING") && (
              <div className="flex gap-1">
                <dt>Next attempt</dt>
                <dd className="font-medium text-zinc-900">
                  <RelativeTime iso={delivery.nextAttemptAt} future />
                </dd>
              </div>
            )}
            {delivery.status === "PAUSED" && <dd className="text-amber-700">The endpoint is disabled; enable it to deliver.</dd>}
          </dl>
        </div>
        {canWrite && (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => onResend(delivery.id)}
            pending={resending}
            disabled={busy}
            title={busy ? "An attempt is running right now" : "Send this message to the endpoint again now"}
          >
            {!resending && <RotateCw className="size-3.5" aria-hidden />}
            Resend
          </Button>
        )}
      </header>
      <AttemptList attempts={delivery.attempts} />
    </section>
  );
}
