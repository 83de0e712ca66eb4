"use client";

import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { RelativeTime } from "@/components/ui/time";
import { MessageBodyCard, MessageDeliveries, MessageHeading } from "@/lib/features/messages/components/message-parts";
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
      <MessageHeading message={message}>
        <p className="mt-1 text-sm text-zinc-600">
          <span className="font-mono text-xs">{message.id}</span> · {new Date(message.createdAt).toLocaleString()} (<RelativeTime iso={message.createdAt} />)
        </p>
      </MessageHeading>
      <MessageBodyCard body={message.body} />
      <MessageDeliveries
        message={message}
        title="Deliveries to your endpoints"
        emptyTitle="None of your endpoints received this message"
        empty={
          <>
            No endpoint of yours was subscribed to <span className="font-mono break-all">{message.eventType}</span> when it happened, or its
            filters left it out.
          </>
        }
        canWrite={canWrite}
        resending={resending}
        onResend={resend}
        endpointHref={(id) => `/portal/${token}/endpoints/${id}`}
      />
    </>
  );
}
