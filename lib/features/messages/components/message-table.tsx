"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Table, Td } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { DeliverySummary } from "./delivery-summary";
import type { MessageListItem } from "../types";

/** Dense, newest first; the whole row opens the message, the id is the keyboard-reachable link. */
/** `basePath`: where a message's page lives (the customer portal's own); `linkable: false` lists them without links. */
export function MessageTable({ messages, linkable = true, basePath = "/messages" }: { messages: MessageListItem[]; linkable?: boolean; basePath?: string }) {
  const router = useRouter();
  return (
    <Table label="Messages" columns={["Time", "Event type", "Account", "Message", "Deliveries"]} minWidth={760}>
      {messages.map((message) => (
        <tr
          key={message.id}
          data-testid="message-row"
          onClick={(event) => {
            if (!linkable || (event.target as HTMLElement).closest("a")) return;
            router.push(`${basePath}/${message.id}`);
          }}
          className={linkable ? "cursor-pointer hover:bg-zinc-50" : undefined}
        >
          <Td dense className="whitespace-nowrap text-zinc-600">
            <RelativeTime iso={message.createdAt} />
          </Td>
          <Td dense>
            <span className="font-mono text-xs text-zinc-900">{message.eventType}</span>
            {message.test && (
              <Badge tone="neutral" className="ml-2">
                Test
              </Badge>
            )}
          </Td>
          <Td dense className="font-mono text-xs text-zinc-700">{message.account ?? <span className="text-zinc-500">—</span>}</Td>
          <Td dense>
            {linkable ? (
              <Link
                href={`${basePath}/${message.id}`}
                title={message.id}
                className="inline-block max-w-[13rem] truncate align-bottom font-mono text-xs text-brand-700 hover:underline"
              >
                {message.id}
              </Link>
            ) : (
              <span title={message.id} className="inline-block max-w-[13rem] truncate align-bottom font-mono text-xs text-zinc-700">
                {message.id}
              </span>
            )}
          </Td>
          <Td dense>
            <DeliverySummary deliveries={message.deliveries} />
          </Td>
        </tr>
      ))}
    </Table>
  );
}
