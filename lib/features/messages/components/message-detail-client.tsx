"use client";

import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/time";
import { MessageBodyCard, MessageDeliveries, MessageHeading } from "@/lib/features/messages/components/message-parts";
import type { MessageDetail } from "@/lib/features/messages/types";
import { useMessage, useResendDelivery } from "../api/messages";

const WATCH_AFTER_RESEND_MS = 20_000;

export function MessageDetailClient({ initial, canWrite }: { initial: MessageDetail; canWrite: boolean }) {
  const [watchUntil, setWatchUntil] = useState(0);
  const [resending, setResending] = useState<string | null>(null);
  const query = useMessage(initial.id, {
    initial,
    // Live while something is in flight (or a resend was just queued); quiet otherwise.
    poll: (data) => {
      const active = data?.deliveries.some((delivery) => delivery.status === "PENDING" || delivery.status === "SENDING");
      return active || Date.now() < watchUntil ? 1500 : false;
    },
  });
  const message = query.data ?? initial;
  const resendDelivery = useResendDelivery(initial.id);

  const resend = (deliveryId: string) => {
    setResending(deliveryId);
    resendDelivery.mutate(deliveryId, {
      onSuccess: () => {
        toast.success("Resend queued: the new attempt appears below in a moment.");
        setWatchUntil(Date.now() + WATCH_AFTER_RESEND_MS);
      },
      onError: (error) => toast.error(error.message),
      onSettled: () => setResending(null),
    });
  };

  return (
    <>
      <Link href="/messages" className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-600 hover:text-zinc-900">
        <ArrowLeft className="size-3.5" aria-hidden />
        Messages
      </Link>
      <MessageHeading message={message}>
        <p className="mt-1 flex items-center gap-2 font-mono text-xs text-zinc-500">
          {message.id}
          <CopyButton value={message.id} label="Copy id" />
        </p>
      </MessageHeading>

      {query.isError && (
        <div className="mb-4">
          <Alert tone="error">Could not refresh this message: {query.error.message}</Alert>
        </div>
      )}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <MessageBodyCard body={message.body} />
        <section aria-labelledby="meta-heading" className="min-w-0 rounded-xl bg-white p-4 shadow-sm ring-1 ring-zinc-200">
          <h2 id="meta-heading" className="mb-3 text-sm font-semibold">
            Details
          </h2>
          <dl className="space-y-3 text-sm">
            <Meta label="Event type">
              <Link href="/event-types" className="font-mono text-xs break-all text-brand-700 hover:underline">
                {message.eventType}
              </Link>
            </Meta>
            <Meta label="Account">{message.account ? <span className="font-mono text-xs break-all">{message.account}</span> : <None />}</Meta>
            <Meta label="Idempotency key">
              {message.idempotencyKey ? <span className="font-mono text-xs break-all">{message.idempotencyKey}</span> : <None />}
            </Meta>
            <Meta label="Created">
              <span className="block">{new Date(message.createdAt).toLocaleString()}</span>
              <span className="text-xs text-zinc-500">
                <RelativeTime iso={message.createdAt} />
              </span>
            </Meta>
          </dl>
        </section>
      </div>

      <MessageDeliveries
        message={message}
        title="Deliveries"
        emptyTitle="No endpoint received this message"
        empty={
          <>
            No endpoint subscribed to <span className="font-mono break-all">{message.eventType}</span> when it was published, or their filters
            left it out. Try it in the{" "}
            <Link href="/playground" className="font-medium text-brand-700 hover:underline">
              Playground
            </Link>{" "}
            to see why each endpoint matched or not.
          </>
        }
        canWrite={canWrite}
        resending={resending}
        onResend={resend}
      />
    </>
  );
}

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-zinc-900">{children}</dd>
    </div>
  );
}

function None() {
  return <span className="text-zinc-500">—</span>;
}
