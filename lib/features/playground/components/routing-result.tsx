"use client";

import { Check, X } from "lucide-react";
import Link from "next/link";
import { statusLabel, statusTone } from "@/lib/features/messages/components/delivery-summary";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { cn } from "@/components/ui/cn";
import { useMessage } from "@/lib/features/messages/api/messages";
import type { FireResult } from "../types";

const FOLLOW_MS = 30_000;

/** Which endpoints the message reached and why, every check listed; delivery statuses follow live for a while. */
export function RoutingResult({ result, firedAt }: { result: FireResult; firedAt: number }) {
  const live = useMessage(result.message.id, {
    poll: (data) => {
      const active = data?.deliveries.some((delivery) => delivery.status === "PENDING" || delivery.status === "SENDING");
      return (active ?? true) && Date.now() - firedAt < FOLLOW_MS ? 1000 : false;
    },
  });
  const statusOf = (deliveryId: string) => live.data?.deliveries.find((delivery) => delivery.id === deliveryId)?.status;
  const matched = result.endpoints.filter((endpoint) => endpoint.matched).length;

  return (
    <div className="space-y-4" aria-live="polite">
      <div className="rounded-lg bg-zinc-50 p-3 ring-1 ring-zinc-200">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="min-w-0">
            <p className="text-sm font-medium text-zinc-900">{result.created ? "Published" : "Already published (same idempotency key)"}</p>
            <Link href={`/messages/${result.message.id}`} className="font-mono text-xs text-brand-700 hover:underline"
              aria-label={`Open message ${result.message.id}`}
            >
              {result.message.id}
            </Link>
          </div>
          <CopyButton value={result.message.id} label="Copy id" />
        </div>
        <p className="mt-2 text-sm text-zinc-600">
          <span className="font-mono text-xs">{result.message.eventType}</span>
          {result.message.account && (
            <>
              {" "}for account <span className="font-mono text-xs">{result.message.account}</span>
            </>
          )}{" "}
          reached <strong className="font-semibold text-zinc-900">{matched}</strong> of {result.endpoints.length} endpoint
          {result.endpoints.length === 1 ? "" : "s"}.
        </p>
      </div>

      {result.endpoints.length === 0 ? (
        <p className="text-sm text-zinc-600">
          This workspace has no endpoint yet, so nothing was delivered.{" "}
          <Link href="/endpoints" className="font-medium text-brand-700 hover:underline">
            Add an endpoint
          </Link>{" "}
          and fire again.
        </p>
      ) : (
        <ul className="space-y-2" aria-label="Endpoints">
          {result.endpoints.map((endpoint) => {
            const current = endpoint.delivery ? (statusOf(endpoint.delivery.id) ?? endpoint.delivery.current ?? endpoint.delivery.status) : null;
            return (
              <li
                key={endpoint.endpointId}
                aria-label={`Endpoint ${endpoint.title}`}
                data-matched={endpoint.matched}
                className={cn("rounded-lg p-3 ring-1", endpoint.matched ? "bg-white ring-emerald-200" : "bg-white ring-zinc-200")}
              >
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <div className="flex flex-wrap items-center gap-2">
                      <Link href={`/endpoints/${endpoint.endpointId}`} className="text-sm font-semibold text-zinc-900 hover:underline">
                        {endpoint.title}
                      </Link>
                      {endpoint.matched ? <Badge tone="success">Matched</Badge> : <Badge>Not matched</Badge>}
                      {!endpoint.enabled && <Badge tone="warning">Disabled</Badge>}
                    </div>
                    <p className="truncate font-mono text-xs text-zinc-500" title={endpoint.url}>
                      {endpoint.url}
                    </p>
                  </div>
                  {endpoint.delivery && current && (
                    <p className="flex items-center gap-1.5 text-xs text-zinc-500" aria-label={`Delivery created as ${statusLabel(endpoint.delivery.status)}, now ${statusLabel(current)}`}>
                      Delivery
                      <Badge tone={statusTone(endpoint.delivery.status)}>{statusLabel(endpoint.delivery.status)}</Badge>
                      {current !== endpoint.delivery.status && (
                        <>
                          <span aria-hidden>→</span>
                          <Badge tone={statusTone(current)}>{statusLabel(current)}</Badge>
                        </>
                      )}
                    </p>
                  )}
                </div>
                <ul className="mt-2 space-y-1" aria-label={`Checks for ${endpoint.title}`}>
                  {endpoint.reasons.map((reason, index) => (
                    <li key={index} className="flex items-start gap-2 text-xs">
                      {reason.ok ? (
                        <Check className="mt-0.5 size-3.5 shrink-0 text-emerald-600" aria-label="passed" role="img" />
                      ) : (
                        <X className="mt-0.5 size-3.5 shrink-0 text-red-600" aria-label="failed" role="img" />
                      )}
                      <span className={reason.ok ? "min-w-0 wrap-anywhere text-zinc-700" : "min-w-0 wrap-anywhere text-red-700"}>{reason.message}</span>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
