"use client";

import { History, RotateCw } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { useAttemptMessage, useAttempts, useResendDelivery } from "../../api/attempts";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { TableSkeleton } from "@/components/ui/skeleton";
import { RelativeTime } from "@/components/ui/time";
import type { AttemptDto } from "@/lib/features/endpoints/list-attempts";
import { formatDurationMs } from "../format";
import { ResultBadge, TriggerBadge } from "./attempt-badges";
import { BodyView } from "./body-view";
import { HeadersTable } from "./headers-table";
import { Table, Td, type TableColumn } from "@/components/ui/table";

const ATTEMPT_COLUMNS: TableColumn[] = ["Time", "Event", "Result", { label: "Duration", className: "text-right" }, { label: "Attempt", className: "text-right" }, "Trigger", { label: "Actions", hidden: true }];

function useResend(endpointId: string) {
  return useResendDelivery(endpointId, {
    onSuccess: () => toast.success("Resend queued — the new attempt will appear in the list"),
    onError: (error) => toast.error(error.message),
  });
}

/** The last 10 attempts, polled every 2 s while the tab is visible (React Query pauses it in the background). */
export function AttemptsCard({ endpointId, canWrite }: { endpointId: string; canWrite: boolean }) {
  const [selected, setSelected] = useState<AttemptDto | null>(null);
  const resend = useResend(endpointId);
  const query = useAttempts(endpointId);

  // Attempts made while the page is open are tinted for a few seconds, so a new one is noticed.
  const [openedAt] = useState(() => Date.now());
  const attempts = query.data?.data ?? [];
  const fresh = new Set(
    attempts
      .filter((attempt) => {
        const at = new Date(attempt.createdAt).getTime();
        return at > openedAt && query.dataUpdatedAt - at < 4000;
      })
      .map((attempt) => attempt.id),
  );

  return (
    <Card
      title={
        <span className="inline-flex items-center gap-2.5">
          Last 10 attempts
          <span className="inline-flex items-center gap-1.5 text-xs font-normal text-zinc-500">
            <span className={cn("size-1.5 rounded-full", query.isError ? "bg-red-500" : "animate-pulse bg-emerald-500")} aria-hidden />
            {query.isError ? "Not updating" : "Live"}
          </span>
        </span>
      }
      description="Newest first. Click one to see the signed request and the response."
      className="overflow-hidden"
    >
      {query.isPending ? (
        <Table label="Last 10 attempts" frame="bleed" minWidth={640} columns={ATTEMPT_COLUMNS} loading loadingRows={4} />
      ) : query.isError && attempts.length === 0 ? (
        <Alert tone="error">Could not load the attempts: {query.error.message}. Retrying every few seconds.</Alert>
      ) : attempts.length === 0 ? (
        <div className="flex flex-col items-center py-8 text-center">
          <History className="mb-2 size-6 text-zinc-500" aria-hidden />
          <p className="text-sm font-medium">No attempts yet</p>
          <p className="mt-1 max-w-sm text-sm text-zinc-500">
            {canWrite ? "Press “Send test”, or publish a matching event: attempts show up here within seconds." : "Attempts show up here within seconds of a matching event."}
          </p>
        </div>
      ) : (
        <Table label="Last 10 attempts" frame="bleed" minWidth={640} columns={ATTEMPT_COLUMNS}>
          {attempts.map((attempt) => (
            <tr key={attempt.id} data-attempt-id={attempt.id} className={cn("relative transition-colors duration-1000 hover:bg-zinc-50", fresh.has(attempt.id) && "bg-brand-50")}>
              <Td dense className="whitespace-nowrap text-zinc-600">
                <button
                  type="button"
                  onClick={() => setSelected(attempt)}
                  className="text-left after:absolute after:inset-0 focus-visible:outline-none"
                >
                  {/* The accessible name starts with the visible label (WCAG 2.5.3), then says what the button does. */}
                  <RelativeTime iso={attempt.createdAt} />
                  <span className="sr-only">
                    {`: inspect attempt ${attempt.number} of ${attempt.eventType}, ${attempt.responseStatus ?? attempt.errorCode ?? "error"}`}
                  </span>
                </button>
              </Td>
              <Td dense className="max-w-48 truncate font-mono text-xs">{attempt.eventType}</Td>
              <Td dense>
                <ResultBadge outcome={attempt.outcome} responseStatus={attempt.responseStatus} errorCode={attempt.errorCode} />
              </Td>
              <Td dense className="text-right whitespace-nowrap text-zinc-600 tabular-nums">{formatDurationMs(attempt.durationMs)}</Td>
              <Td dense className="text-right text-zinc-600 tabular-nums">#{attempt.number}</Td>
              <Td dense>
                <TriggerBadge trigger={attempt.trigger} />
              </Td>
              <Td dense className="relative z-10 text-right">
                {canWrite && attempt.outcome === "failure" && attempt.deliveryId && (
                  <Button
                    type="button"
                    size="sm"
                    variant="secondary"
                    pending={resend.isPending && resend.variables === attempt.deliveryId}
                    onClick={() => resend.mutate(attempt.deliveryId!)}
                    aria-label={`Resend the delivery of attempt ${attempt.number} (${attempt.eventType})`}
                  >
                    <RotateCw className="size-3.5" aria-hidden />
                    Resend
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <AttemptInspector attempt={selected} onClose={() => setSelected(null)} canWrite={canWrite} endpointId={endpointId} />
    </Card>
  );
}

function AttemptInspector({ attempt, onClose, canWrite, endpointId }: { attempt: AttemptDto | null; onClose: () => void; canWrite: boolean; endpointId: string }) {
  const resend = useResend(endpointId);
  // The body sent is the message's, byte for byte (stored once); only body-secret stores its own copy.
  const message = useAttemptMessage(attempt?.messageId ?? null, attempt !== null && attempt.requestBody === null);
  const requestBody = attempt?.requestBody ?? message.data?.body;

  return (
    <Dialog open={attempt !== null} onClose={onClose} title={attempt ? `Attempt #${attempt.number} · ${attempt.eventType}` : "Attempt"} wide>
      {attempt && (
        <div className="space-y-6">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-xs text-zinc-500">Result</dt>
              <dd className="mt-0.5">
                <ResultBadge outcome={attempt.outcome} responseStatus={attempt.responseStatus} errorCode={attempt.errorCode} />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500">Duration</dt>
              <dd className="mt-0.5 tabular-nums">{formatDurationMs(attempt.durationMs)}</dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500">When</dt>
              <dd className="mt-0.5">
                <RelativeTime iso={attempt.createdAt} />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500">Trigger</dt>
              <dd className="mt-0.5">
                <TriggerBadge trigger={attempt.trigger} />
              </dd>
            </div>
            <div className="col-span-2 sm:col-span-4">
              <dt className="text-xs text-zinc-500">Message</dt>
              <dd className="mt-0.5 font-mono text-xs">
                <Link href={`/messages/${attempt.messageId}`} className="text-brand-700 hover:underline">
                  {attempt.messageId}
                </Link>
                <span className="text-zinc-500"> · {attempt.id}</span>
              </dd>
            </div>
          </dl>

          {attempt.errorCode && (
            <Alert tone="error">
              <strong className="font-mono">{attempt.errorCode}</strong>
              {attempt.errorMessage ? ` — ${attempt.errorMessage}` : ""}
            </Alert>
          )}

          <section aria-labelledby="inspector-request">
            <h3 id="inspector-request" className="mb-2 text-sm font-semibold">
              Request
            </h3>
            <p className="mb-3 rounded-md bg-zinc-50 px-3 py-2 font-mono text-xs break-all ring-1 ring-zinc-200">
              <span className="font-semibold text-brand-700">POST</span> {attempt.requestUrl}
            </p>
            <h4 className="mb-1 text-xs font-medium text-zinc-500 uppercase">Headers (as signed)</h4>
            <HeadersTable headers={attempt.requestHeaders} label="Request headers" />
            <h4 className="mt-4 mb-1 text-xs font-medium text-zinc-500 uppercase">Body</h4>
            {attempt.requestBody !== null && (
              <p className="mb-1.5 text-xs text-zinc-500">The body-secret scheme added the secret to this body; it is masked here.</p>
            )}
            {requestBody === undefined && message.isPending ? (
              <TableSkeleton rows={2} />
            ) : message.isError && requestBody === undefined ? (
              <Alert tone="error">Could not load the message body: {message.error.message}</Alert>
            ) : (
              <BodyView body={requestBody} label="Request body" />
            )}
          </section>

          <section aria-labelledby="inspector-response">
            <h3 id="inspector-response" className="mb-2 text-sm font-semibold">
              Response
            </h3>
            {attempt.responseStatus === null ? (
              <p className="text-sm text-zinc-500">No response: the request ended with {attempt.errorCode ?? "an error"} before the receiver answered.</p>
            ) : (
              <>
                <p className="mb-3 text-sm">
                  Status <span className="font-mono font-semibold">{attempt.responseStatus}</span>
                </p>
                <h4 className="mb-1 text-xs font-medium text-zinc-500 uppercase">Headers</h4>
                <HeadersTable headers={attempt.responseHeaders} label="Response headers" />
                <h4 className="mt-4 mb-1 text-xs font-medium text-zinc-500 uppercase">Body</h4>
                <BodyView body={attempt.responseBody} label="Response body" />
              </>
            )}
          </section>

          {canWrite && attempt.outcome === "failure" && attempt.deliveryId && (
            <div className="flex justify-end border-t border-zinc-100 pt-4">
              <Button type="button" pending={resend.isPending} onClick={() => resend.mutate(attempt.deliveryId!, { onSuccess: onClose })}>
                <RotateCw className="size-4" aria-hidden />
                Resend this delivery
              </Button>
            </div>
          )}
        </div>
      )}
    </Dialog>
  );
}
