import { ArrowRight, CheckCircle2, Circle, CircleCheck, LayoutDashboard, PowerOff, TriangleAlert } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { RelativeTime } from "@/components/ui/time";
import type { EndpointAttention, OverviewKpis, OverviewStats, RecentFailure } from "@/lib/features/overview/queries";
import { formatRate } from "./format";
import { Table, Td } from "@/components/ui/table";

const number = new Intl.NumberFormat("en");

function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function Kpi({ label, value, hint, tone }: { label: string; value: ReactNode; hint?: ReactNode; tone?: "danger" | "warning" }) {
  return (
    <div className="rounded-xl bg-white px-5 py-4 shadow-sm ring-1 ring-zinc-200">
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className={cn("mt-1.5 text-2xl font-semibold tracking-tight tabular-nums", tone === "danger" ? "text-red-700" : tone === "warning" ? "text-amber-700" : "text-zinc-900")}>
        {value}
      </dd>
      {hint && <dd className="mt-0.5 text-xs text-zinc-500">{hint}</dd>}
    </div>
  );
}

export function KpiCards({ kpis }: { kpis: OverviewKpis }) {
  const rate = kpis.successRate24h;
  return (
    <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4" aria-label="Last 24 hours">
      <Kpi label="Messages · 24 h" value={number.format(kpis.messages24h)} hint="events your application published" />
      <Kpi label="Deliveries · 24 h" value={number.format(kpis.deliveries24h)} hint="message × endpoint" />
      <Kpi
        label="Success rate · 24 h"
        value={formatRate(rate)}
        tone={rate === null ? undefined : rate < 0.9 ? "danger" : rate < 0.99 ? "warning" : undefined}
        hint={kpis.attempts24h ? `${number.format(kpis.succeeded24h)} of ${number.format(kpis.attempts24h)} attempts` : "no attempts"}
      />
      <Kpi
        label="Attempt duration · 24 h"
        value={
          <>
            {formatMs(kpis.p50Ms)} <span className="text-sm font-normal text-zinc-500">p50</span>
          </>
        }
        hint={`p95 ${formatMs(kpis.p95Ms)}`}
      />
    </dl>
  );
}

function Panel({ title, description, children, id }: { title: string; description: string; children: ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
      <header className="border-b border-zinc-100 px-5 py-4">
        <h2 id={id} className="text-sm font-semibold text-zinc-900">
          {title}
        </h2>
        <p className="mt-0.5 text-sm text-zinc-500">{description}</p>
      </header>
      {children}
    </section>
  );
}

export function AttentionPanel({ endpoints }: { endpoints: EndpointAttention[] }) {
  return (
    <Panel id="attention-title" title="Endpoints needing attention" description="Disabled, or failing right now.">
      {endpoints.length === 0 ? (
        <p className="flex items-center gap-2 px-5 py-6 text-sm text-zinc-600">
          <CircleCheck className="size-4 text-emerald-600" aria-hidden /> Every endpoint is enabled and its latest delivery went through.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-100" aria-label="Endpoints needing attention">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id}>
              <Link href={`/endpoints/${endpoint.id}`} className="group flex items-start gap-3 px-5 py-3 hover:bg-zinc-50">
                {endpoint.enabled ? (
                  <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
                ) : (
                  <PowerOff className="mt-0.5 size-4 shrink-0 text-red-600" aria-hidden />
                )}
                <div className="min-w-0 flex-1">
                  <div className="flex items-center gap-2">
                    <span className="truncate text-sm font-medium text-zinc-900 group-hover:text-brand-700">{endpoint.title}</span>
                    <Badge tone={endpoint.enabled ? "warning" : "danger"}>{endpoint.enabled ? "Failing" : "Disabled"}</Badge>
                  </div>
                  <p className="mt-0.5 text-sm text-zinc-700">{endpoint.reason}</p>
                  <p className="mt-0.5 truncate font-mono text-xs text-zinc-500">{endpoint.url}</p>
                  <p className="mt-0.5 text-xs text-zinc-500">
                    {endpoint.attempts24h > 0 && (
                      <>
                        {endpoint.failed24h} of {endpoint.attempts24h} attempts failed in 24 h ·{" "}
                      </>
                    )}
                    {endpoint.lastSuccessAt ? (
                      <>
                        last success <RelativeTime iso={endpoint.lastSuccessAt} />
                      </>
                    ) : endpoint.lastAttemptAt ? (
                      "never succeeded"
                    ) : (
                      "no attempts yet"
                    )}
                  </p>
                </div>
                <ArrowRight className="mt-0.5 size-4 shrink-0 text-zinc-300 group-hover:text-zinc-500" aria-hidden />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function failureText(failure: RecentFailure): { label: string; detail: string | null } {
  const label = failure.responseStatus ? `HTTP ${failure.responseStatus}` : (failure.errorCode ?? "Failed");
  // The attempt core writes "HTTP 500" as the message of a plain non-2xx: say it once.
  const detail = failure.errorMessage && failure.errorMessage !== label ? failure.errorMessage : null;
  return { label, detail };
}

export function RecentFailuresPanel({ failures }: { failures: RecentFailure[] }) {
  return (
    <Panel id="failures-title" title="Recent failures" description="The last 10 failed attempts of real deliveries.">
      {failures.length === 0 ? (
        <p className="flex items-center gap-2 px-5 py-6 text-sm text-zinc-600">
          <CircleCheck className="size-4 text-emerald-600" aria-hidden /> No failed attempts. Retries and errors will show up here.
        </p>
      ) : (
        <Table label="Recent failures" frame="plain" minWidth={560} columns={["When", "Endpoint", "Event", "Error", { label: "Attempt", className: "text-right" }]}>
          {failures.map((failure) => {
            const { label, detail } = failureText(failure);
            return (
              <tr key={failure.id} className="align-top">
                <Td dense className="whitespace-nowrap text-zinc-600">
                  <Link href={`/messages/${failure.messageId}`} className="hover:text-brand-700 hover:underline">
                    <RelativeTime iso={failure.createdAt} />
                  </Link>
                </Td>
                <Td dense className="max-w-64 truncate">
                  <Link href={`/endpoints/${failure.endpointId}`} className="font-medium text-zinc-900 hover:text-brand-700 hover:underline">
                    {failure.endpointTitle}
                  </Link>
                </Td>
                <Td dense className="font-mono text-xs whitespace-nowrap text-zinc-700">{failure.eventType}</Td>
                <Td dense className="max-w-md">
                  <div className="flex min-w-0 items-center gap-2">
                    <Badge tone="danger">{label}</Badge>
                    {detail && (
                      <span className="truncate text-xs text-zinc-500" title={detail}>
                        {detail}
                      </span>
                    )}
                  </div>
                </Td>
                <Td dense className="text-right text-zinc-600 tabular-nums">#{failure.number}</Td>
              </tr>
            );
          })}
        </Table>
      )}
    </Panel>
  );
}

/** No deliveries yet: the three steps to the first one, ticked off as they are done. */
export function GettingStarted({ setup, canWrite }: { setup: OverviewStats["setup"]; canWrite: boolean }) {
  const steps = [
    {
      done: setup.eventTypes > 0,
      title: "Import or create event types",
      body: "The catalog of events your application publishes, e.g. call:completed. Import a preset in one click.",
      href: "/event-types",
      cta: "Event types",
    },
    {
      done: setup.endpoints > 0,
      title: "Add an endpoint",
      body: "A URL of your customer's that receives signed POSTs for the events it subscribes to.",
      href: setup.endpoints > 0 ? "/endpoints" : "/endpoints/new",
      cta: setup.endpoints > 0 ? "Endpoints" : "Add an endpoint",
    },
    {
      done: setup.hasMessages,
      title: "Publish an event",
      body: "Fire a sample from the Playground, or POST /api/v1/messages with an API key from Settings.",
      href: "/playground",
      cta: "Open the Playground",
    },
  ];
  return (
    <section aria-labelledby="getting-started" className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10">
      <div className="mx-auto max-w-xl">
        <div className="text-center">
          <span className="mx-auto mb-4 flex size-11 items-center justify-center rounded-full bg-brand-50">
            <LayoutDashboard className="size-5 text-brand-600" aria-hidden />
          </span>
          <h2 id="getting-started" className="text-base font-semibold">
            No deliveries yet
          </h2>
          <p className="mt-1.5 text-sm text-zinc-600">
            Delivery volume, success rate, failing endpoints and recent failures show here once the first event reaches an endpoint.
            {canWrite ? " Three steps get you there:" : " An owner or admin sets up endpoints; the steps are:"}
          </p>
        </div>
        <ol className="mt-6 space-y-3">
          {steps.map((step, index) => (
            <li key={step.title} className={cn("flex gap-3 rounded-lg px-4 py-3 ring-1", step.done ? "bg-zinc-50 ring-zinc-100" : "bg-white ring-zinc-200")}>
              {step.done ? (
                <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-emerald-600" aria-label="Done" />
              ) : (
                <Circle className="mt-0.5 size-5 shrink-0 text-zinc-300" aria-label="To do" />
              )}
              <div className="min-w-0 flex-1">
                <h3 className={cn("text-sm font-medium", step.done ? "text-zinc-500 line-through" : "text-zinc-900")}>
                  {index + 1}. {step.title}
                </h3>
                <p className="mt-0.5 text-sm text-zinc-600">{step.body}</p>
              </div>
              <Link href={step.href} className="self-center text-sm font-medium whitespace-nowrap text-brand-700 hover:underline">
                {step.cta} →
              </Link>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}

