"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/time";
import { DeliverySummary } from "./delivery-summary";
import type { MessageListItem } from "../types";

/** Dense, newest first; the whole row opens the message, the id is the keyboard-reachable link. */
/** `linkable: false` (the customer portal) lists messages without links to the operator's message pages. */
export function MessageTable({ messages, linkable = true }: { messages: MessageListItem[]; linkable?: boolean }) {
  const router = useRouter();
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
      <table className="w-full min-w-[760px] text-sm">
        <thead>
          <tr className="border-b border-zinc-200 text-left text-xs font-medium text-zinc-500">
            <th scope="col" className="px-4 py-2.5 font-medium">Time</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Event type</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Account</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Message</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Deliveries</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {messages.map((message) => (
            <tr
              key={message.id}
              data-testid="message-row"
              onClick={(event) => {
                if (!linkable || (event.target as HTMLElement).closest("a")) return;
                router.push(`/messages/${message.id}`);
              }}
              className={linkable ? "cursor-pointer hover:bg-zinc-50" : undefined}
            >
              <td className="px-4 py-2.5 whitespace-nowrap text-zinc-600">
                <RelativeTime iso={message.createdAt} />
              </td>
              <td className="px-4 py-2.5">
                <span className="font-mono text-xs text-zinc-900">{message.eventType}</span>
                {message.test && (
                  <Badge tone="neutral" className="ml-2">
                    Test
                  </Badge>
                )}
              </td>
              <td className="px-4 py-2.5 font-mono text-xs text-zinc-700">{message.account ?? <span className="text-zinc-500">—</span>}</td>
              <td className="px-4 py-2.5">
                {linkable ? (
                  <Link
                    href={`/messages/${message.id}`}
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
              </td>
              <td className="px-4 py-2.5">
                <DeliverySummary deliveries={message.deliveries} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
