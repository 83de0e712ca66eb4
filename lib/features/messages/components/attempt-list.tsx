"use client";

import { ChevronRight } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { CodeBlock, formatMaybeJson } from "@/components/ui/code";
import { RelativeTime } from "@/components/ui/time";
import type { AttemptDetail } from "../types";

function HeaderTable({ headers }: { headers: Record<string, string> | null }) {
  const entries = Object.entries(headers ?? {});
  if (!entries.length) return <p className="text-xs text-zinc-500">None recorded</p>;
  return (
    <dl className="grid grid-cols-[minmax(8rem,max-content)_1fr] gap-x-4 gap-y-1 rounded-lg bg-zinc-50 p-3 font-mono text-xs ring-1 ring-zinc-200">
      {entries.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="text-zinc-500">{name}</dt>
          <dd className="break-all text-zinc-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Outcome({ attempt }: { attempt: AttemptDetail }) {
  if (attempt.responseStatus !== null) {
    return <Badge tone={attempt.outcome === "success" ? "success" : "danger"}>HTTP {attempt.responseStatus}</Badge>;
  }
  return <Badge tone="danger">{attempt.errorCode ?? "Error"}</Badge>;
}

/** One expandable row per HTTP try, oldest first: the summary line, then the full request and response. */
export function AttemptList({ attempts }: { attempts: AttemptDetail[] }) {
  if (!attempts.length) return <p className="px-4 py-3 text-sm text-zinc-500">No attempt yet.</p>;
  return (
    <ul className="divide-y divide-zinc-100" aria-label="Attempts">
      {attempts.map((attempt) => (
        <li key={attempt.id} data-testid="attempt-row">
          <details className="group">
            <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2.5 text-sm hover:bg-zinc-50 focus-visible:bg-zinc-50 focus-visible:outline-none [&::-webkit-details-marker]:hidden">
              <ChevronRight className="size-4 text-zinc-500 transition-transform group-open:rotate-90" aria-hidden />
              <span className="w-20 font-medium text-zinc-900">Attempt {attempt.number}</span>
              <Outcome attempt={attempt} />
              <Badge tone={attempt.trigger === "MANUAL" ? "info" : "neutral"}>{attempt.trigger.toLowerCase()}</Badge>
              <span className="font-mono text-xs text-zinc-500">{attempt.durationMs} ms</span>
              <span className="ml-auto text-xs text-zinc-500">
                <RelativeTime iso={attempt.createdAt} />
              </span>
            </summary>
            <div className="grid grid-cols-1 gap-4 border-t border-zinc-100 bg-zinc-50/50 px-4 py-4 lg:grid-cols-2">
              <section className="min-w-0 space-y-2">
                <h4 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">Request</h4>
                <p className="font-mono text-xs break-all text-zinc-700">POST {attempt.requestUrl}</p>
                <HeaderTable headers={attempt.requestHeaders} />
              </section>
              <section className="min-w-0 space-y-2">
                <h4 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">Response</h4>
                {/* A bad status is already shown as the status itself; only transport errors need the box. */}
                {attempt.errorCode && !(attempt.errorCode === "HTTP_ERROR" && attempt.responseStatus !== null) && (
                  <p className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-800 ring-1 ring-red-200 ring-inset">
                    <span className="font-mono font-semibold">{attempt.errorCode}</span>
                    {attempt.errorMessage ? `: ${attempt.errorMessage}` : ""}
                  </p>
                )}
                {attempt.responseStatus !== null && <p className="font-mono text-xs text-zinc-700">Status {attempt.responseStatus}</p>}
                {attempt.responseHeaders && <HeaderTable headers={attempt.responseHeaders} />}
                {attempt.responseBody ? (
                  <CodeBlock label={`Response body of attempt ${attempt.number}`} className="max-h-64">
                    {formatMaybeJson(attempt.responseBody)}
                  </CodeBlock>
                ) : (
                  attempt.responseStatus !== null && <p className="text-xs text-zinc-500">Empty body</p>
                )}
              </section>
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}
