"use client";

import { ArrowLeft, Webhook } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/time";
import { DeliveryCard } from "@/lib/features/messages/components/delivery-card";
import { DeliverySummary } from "@/lib/features/messages/components/delivery-summary";
import { MessageBody } from "@/lib/features/messages/components/message-body";
import type { MessageDetail } from "@/lib/features/messages/types";
import { usePortalResend } from "../api/resend";

/**
 * One message as the account's customer sees it: the exact body we sent, and how each of their
 * endpoints answered (only theirs: the server scoped the message to the session's account).
 */
export function PortalMessage({ message, token, canWrite }: { message: MessageDetail; token: string; canWrite: boolean }) {
  const [resending, setResending] = useState<string | null>(null);
  const portalResend = usePortalResend(token);
  const resend = (deliveryId: string) => {
    setResending(deliveryId);
    portalResend.mutate(deliveryId, {
      onSuccess: () => toast.success("Sent again: the new attempt appears in a moment."),
      onError: (error) => toast.error(error.message),
      onSettled: () => setResending(null),
    });
  };

  return (
    <>
      <Link href={`/portal/${token}/messages`} className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-600 hover:text-zinc-900">
        <ArrowLeft className="size-3.5" aria-hidden />
        Messages
      </Link>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight">
            <span className="min-w-0 font-mono break-all">{message.eventType}</span>
            {message.test && <Badge>Test</Badge>}
          </h1>
          <p className="mt-1 text-sm text-zinc-600">
            <span className="font-mono text-xs">{message.id}</span> · {new Date(message.createdAt).toLocaleString()} (<RelativeTime iso={message.createdAt} />)
          </p>
        </div>
        <DeliverySummary deliveries={message.deliveries} />
      </div>
      <section aria-labelledby="body-heading" className="min-w-0 rounded-xl bg-white p-4 shadow-sm ring-1 ring-zinc-200">
        <h2 id="body-heading" className="mb-3 text-sm font-semibold">
          Body
        </h2>
        <MessageBody body={message.body} />
      </section>
      <h2 className="mt-8 mb-3 text-base font-semibold">Deliveries to your endpoints</h2>
      {message.deliveries.length === 0 ? (
        <EmptyState icon={Webhook} title="None of your endpoints received this message">
          No endpoint of yours was subscribed to <span className="font-mono break-all">{message.eventType}</span> when it happened, or its
          filters left it out.
        </EmptyState>
      ) : (
        <div className="space-y-4">
          {message.deliveries.map((delivery) => (
            <DeliveryCard
              key={delivery.id}
              delivery={delivery}
              canWrite={canWrite}
              resending={resending === delivery.id}
              onResend={resend}
              endpointHref={(id) => `/portal/${token}/endpoints/${id}`}
            />
          ))}
        </div>
      )}
    </>
  );
}
