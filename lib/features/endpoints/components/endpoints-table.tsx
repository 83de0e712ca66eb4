import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Table, Td } from "@/components/ui/table";
import { SuccessRate } from "@/components/ui/success-rate";
import { RelativeTime } from "@/components/ui/time";
import type { EndpointListItem } from "@/lib/features/endpoints/queries";
import { EventChips } from "./event-chips";
import { endpointStatus } from "./format";

/** `hrefBase`: where endpoint pages live ("" in the console, `/portal/<token>` in the portal, which also hides the owner column). */
export function EndpointsTable({ endpoints, hrefBase = "", showOwner = true }: { endpoints: EndpointListItem[]; hrefBase?: string; showOwner?: boolean }) {
  return (
    <Table label="Endpoints" columns={["Endpoint", ...(showOwner ? ["Owner"] : []), "Events", "Status", "Success (24 h)", "Last attempt"]} minWidth={760}>
      {endpoints.map((endpoint) => {
        const status = endpointStatus(endpoint);
        return (
          <tr key={endpoint.id} className="group relative align-top hover:bg-zinc-50">
            <Td className="max-w-[22rem]">
              <Link
                href={`${hrefBase}/endpoints/${endpoint.id}`}
                className="font-medium text-zinc-900 after:absolute after:inset-0 focus-visible:outline-none group-hover:text-brand-700"
              >
                {endpoint.title}
              </Link>
              <span className="block truncate font-mono text-xs text-zinc-500" title={endpoint.url}>
                {endpoint.url}
              </span>
            </Td>
            {showOwner && (
              <Td>
                {endpoint.account ? (
                  <Link
                    href={`/endpoints?account=${encodeURIComponent(endpoint.account)}`}
                    title={endpoint.account}
                    className="relative z-10 block max-w-[12rem] truncate font-mono text-xs text-brand-700 hover:underline"
                  >
                    {endpoint.account}
                  </Link>
                ) : (
                  <span className="text-xs text-zinc-500">Workspace-wide</span>
                )}
              </Td>
            )}
            <Td className="max-w-[16rem]">
              <EventChips eventTypes={endpoint.eventTypes} />
            </Td>
            <Td>
              <Badge tone={status.tone}>{status.label}</Badge>
              {status.reason && <span className="mt-1 block max-w-[14rem] text-xs text-zinc-500">{status.reason}</span>}
            </Td>
            <Td>
              <SuccessRate rate={endpoint.stats.successRate24h} attempts={endpoint.stats.attempts24h} succeeded={endpoint.stats.succeeded24h} />
            </Td>
            <Td className="whitespace-nowrap text-zinc-600">
              {endpoint.stats.lastAttemptAt ? (
                <span className="inline-flex items-center gap-1.5">
                  {endpoint.stats.lastAttemptOk !== null && (
                    <>
                      <span aria-hidden className={cn("size-1.5 rounded-full", endpoint.stats.lastAttemptOk ? "bg-emerald-500" : "bg-red-500")} />
                      <span className="sr-only">{endpoint.stats.lastAttemptOk ? "Succeeded" : "Failed"},</span>
                    </>
                  )}
                  <RelativeTime iso={endpoint.stats.lastAttemptAt} />
                </span>
              ) : (
                <span className="text-zinc-500">Never</span>
              )}
            </Td>
          </tr>
        );
      })}
    </Table>
  );
}
