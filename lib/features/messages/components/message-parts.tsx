"use client";

import { Webhook } from "lucide-react";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { DeliveryCard } from "@/lib/features/messages/components/delivery-card";
import { DeliverySummary } from "@/lib/features/messages/components/delivery-summary";
import { MessageBody } from "@/lib/features/messages/components/message-body";
import type { MessageDetail } from "@/lib/features/messages/types";

// The pieces of a message's page that the console (message-detail-client.tsx) and the customer
// portal (lib/features/portal/components/portal-message.tsx) share; each page adds its own words.

/** The event type as the title, the test badge, a subtitle of the page's choosing, and the delivery summary. */
export function MessageHeading({ message, children }: { message: MessageDetail; children: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        <h1 className="flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight">
          {/* Event type names may be one long word: they break anywhere rather than widen the page. */}
          <span className="min-w-0 font-mono break-all">{message.eventType}</span>
          {message.test && <Badge>Test</Badge>}
        </h1>
        {children}
      </div>
      <DeliverySummary deliveries={message.deliveries} />
    </div>
  );
}

/** The stored body in its card: pretty or raw, byte for byte what was sent. */
export function MessageBodyCard({ body }: { body: string }) {
  return (
    <section aria-labelledby="body-heading" className="min-w-0 rounded-xl bg-white p-4 shadow-sm ring-1 ring-zinc-200">
      <h2 id="body-heading" className="mb-3 text-sm font-semibold">
        Body
      </h2>
      <MessageBody body={body} />
    </section>
  );
}

/** One card per delivery, or the page's explanation of why there is none. */
export function MessageDeliveries({
  message,
  title,
  emptyTitle,
  empty,
  canWrite,
  resending,
  onResend,
  endpointHref,
}: {
  message: MessageDetail;
  title: string;
  emptyTitle: string;
  empty: ReactNode;
  canWrite: boolean;
  resending: string | null;
  onResend: (deliveryId: string) => void;
  endpointHref?: (endpointId: string) => string;
}) {
  return (
    <>
      <h2 className="mt-8 mb-3 text-base font-semibold">{title}</h2>
      {message.deliveries.length === 0 ? (
        <EmptyState icon={Webhook} title={emptyTitle}>
          {empty}
        </EmptyState>
      ) : (
        <div className="space-y-4">
          {message.deliveries.map((delivery) => (
            <DeliveryCard
              key={delivery.id}
              delivery={delivery}
              canWrite={canWrite}
              resending={resending === delivery.id}
              onResend={onResend}
              endpointHref={endpointHref}
            />
          ))}
        </div>
      )}
    </>
  );
}
