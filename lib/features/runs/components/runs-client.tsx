"use client";

import { Activity, ChevronDown, ChevronRight, CircleAlert, CircleCheck } from "lucide-react";
import Link from "next/link";
import { Fragment, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code";
import { cn } from "@/components/ui/cn";
import { FormField } from "@/components/ui/field";
import { Select } from "@/components/ui/inputs";
import { RelativeTime } from "@/components/ui/time";
import { useRuns } from "../api/runs";
import { RUN_FUNCTIONS, RUN_STATUSES, type Run, type RunStatus, type RunsPage } from "../types";
import { Table, Td, type TableColumn } from "@/components/ui/table";

const RUN_COLUMNS: TableColumn[] = [{ label: "Expand", hidden: true, className: "w-8" }, "Function", "Status", "Event", "Current step", "Next wake-up", { label: "Attempt", className: "text-right" }, "Started", "Took"];

const STATUS_TONE: Record<RunStatus, BadgeTone> = {
  RUNNING: "info",
  SLEEPING: "warning",
  COMPLETED: "success",
  FAILED: "danger",
  CANCELLED: "neutral",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <Badge tone={STATUS_TONE[status]}>
      {status === "RUNNING" && <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden />}
      {status.charAt(0) + status.slice(1).toLowerCase()}
    </Badge>
  );
}

const functionLabel = (id: string) => RUN_FUNCTIONS.find((fn) => fn.id === id)?.label.replace(/ \(.*\)$/, "") ?? id.replace(/^hookline-/, "");

function errorText(error: unknown): string | null {
  if (error == null) return null;
  if (typeof error === "string") return error;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" ? message : JSON.stringify(error);
}

const OP_LABEL: Record<string, string> = { steprun: "ran", sleep: "slept", invokefunction: "invoked", waitforevent: "waited" };

/** What a deliver/resend run decided, from its output: `{ result: { action } }`. */
function outcomeOf(run: Run): string | null {
  const action = (run.output as { result?: { action?: unknown } } | null)?.result?.action;
  return typeof action === "string" ? action : null;
}

function duration(from: string, to: string): string {
  const ms = new Date(to).getTime() - new Date(from).getTime();
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function RunsClient({ initial }: { initial: RunsPage }) {
  const [status, setStatus] = useState<string>("");
  const [functionId, setFunctionId] = useState<string>("");
  const [loadedAt] = useState(() => Date.now()); // when the server rendered `initial`, near enough
  const [cursors, setCursors] = useState<string[]>([]); // stack of cursors of the pages before this one
  const cursor = cursors.at(-1);
  const filters = { status: status || undefined, functionId: functionId || undefined, cursor };
  const isDefault = !status && !functionId && !cursor;

  const query = useRuns(filters, isDefault ? { page: initial, loadedAt } : undefined);

  const changeFilter = (apply: () => void) => {
    apply();
    setCursors([]);
  };

  const runs = query.data?.data ?? [];
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <FormField label="Status">
          <Select id="run-status" className="w-40" value={status} onChange={(event) => changeFilter(() => setStatus(event.target.value))}>
            <option value="">All statuses</option>
            {RUN_STATUSES.map((value) => (
              <option key={value} value={value}>
                {value.charAt(0) + value.slice(1).toLowerCase()}
              </option>
            ))}
          </Select>
        </FormField>
        <FormField label="Function">
          <Select id="run-function" className="w-52" value={functionId} onChange={(event) => changeFilter(() => setFunctionId(event.target.value))}>
            <option value="">All functions</option>
            {RUN_FUNCTIONS.map((fn) => (
              <option key={fn.id} value={fn.id}>
                {fn.label}
              </option>
            ))}
          </Select>
        </FormField>
        <p className="ml-auto flex items-center gap-1.5 pb-2 text-xs text-zinc-500" aria-live="polite">
          {cursor ? (
            "Older runs: not refreshing"
          ) : (
            <>
              <span className={cn("size-1.5 rounded-full", query.isError ? "bg-red-500" : "animate-pulse bg-emerald-500")} aria-hidden />
              {query.isError ? "Refresh failed" : "Live · refreshes every 3 s"}
            </>
          )}
        </p>
      </div>

      {query.isError && <Alert tone="error">Could not load runs: {query.error.message}</Alert>}

      {query.isPending ? (
        <Table label="Function runs" minWidth={880} columns={RUN_COLUMNS} loading loadingRows={8} />
      ) : runs.length === 0 ? (
        <div className="flex flex-col items-center rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-12 text-center">
          <Activity className="mb-3 size-5 text-brand-600" aria-hidden />
          <h2 className="text-base font-semibold">{isDefault ? "No runs yet" : "No runs match"}</h2>
          <p className="mt-1.5 max-w-md text-sm text-zinc-600">
            {isDefault ? (
              <>
                Every delivery runs as a function here. Publish a message to an endpoint (see <Link className="text-brand-700 underline" href="/messages">Messages</Link>) and its run
                appears within seconds.
              </>
            ) : (
              "Try another status or function."
            )}
          </p>
        </div>
      ) : (
        <Table label="Function runs" minWidth={880} columns={RUN_COLUMNS}>
          {runs.map((run) => (
            <RunRow key={run.id} run={run} />
          ))}
        </Table>
      )}

      {(cursors.length > 0 || query.data?.nextCursor) && (
        <div className="flex justify-end gap-2">
          <Button variant="secondary" size="sm" disabled={cursors.length === 0} onClick={() => setCursors((stack) => stack.slice(0, -1))}>
            Newer
          </Button>
          <Button variant="secondary" size="sm" disabled={!query.data?.nextCursor} onClick={() => setCursors((stack) => [...stack, query.data!.nextCursor!])}>
            Older
          </Button>
        </div>
      )}
    </div>
  );
}

function RunRow({ run }: { run: Run }) {
  const [open, setOpen] = useState(false);
  // A request event stands for its deliveryId and the ids in `more` (lib/delivery/requests.ts, groupRequests).
  const data = (run.event.data ?? {}) as { deliveryId?: string; endpointId?: string; more?: string[] };
  // A finished batch run says how many deliveries it took (inngest/functions/deliver.ts); the event
  // shown is only its first.
  const output = run.output as { deliveries?: unknown } | null;
  const deliveries = output && typeof output === "object" && typeof output.deliveries === "number" ? output.deliveries : null;
  const moreInEvent = data.deliveryId && Array.isArray(data.more) ? data.more.length : 0;
  const error = errorText(run.error);
  const outcome = outcomeOf(run);
  const detailsId = `run-${run.id}-details`;
  return (
    <Fragment>
      <tr className={cn("align-top hover:bg-zinc-50/70", open && "bg-zinc-50/70")}>
        <Td dense className="w-8">
          <button
            type="button"
            onClick={() => setOpen((value) => !value)}
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={`${open ? "Hide" : "Show"} steps of run ${run.id}`}
            className="rounded p-1 text-zinc-500 hover:bg-zinc-200/70"
          >
            {open ? <ChevronDown className="size-4" /> : <ChevronRight className="size-4" />}
          </button>
        </Td>
        <Td dense className="font-medium text-zinc-900">{functionLabel(run.functionId)}</Td>
        <Td dense>
          <RunStatusBadge status={run.status} />
          {outcome && (
            <div className={cn("mt-1 text-xs", outcome === "failed" ? "text-red-700" : "text-zinc-500")}>
              delivery {outcome}
            </div>
          )}
        </Td>
        <Td dense>
          <div className="font-mono text-xs text-zinc-800">{run.event.name}</div>
          {data.deliveryId && <div className="font-mono text-xs text-zinc-500">{data.deliveryId}</div>}
          {deliveries !== null && deliveries > 1 ? (
            <div className="text-xs text-zinc-500">and {deliveries - 1} more {deliveries === 2 ? "delivery" : "deliveries"} in this run</div>
          ) : moreInEvent > 0 ? (
            <div className="text-xs text-zinc-500">and {moreInEvent} more {moreInEvent === 1 ? "delivery" : "deliveries"} in this event</div>
          ) : null}
        </Td>
        <Td dense className="font-mono text-xs text-zinc-700">{run.currentStep ?? <span className="text-zinc-500">—</span>}</Td>
        <Td dense className="whitespace-nowrap text-zinc-700">
          {run.nextWakeAt && !run.endedAt ? <RelativeTime iso={run.nextWakeAt} future /> : <span className="text-zinc-500">—</span>}
        </Td>
        <Td dense className="text-right tabular-nums text-zinc-700">{run.attempt + 1}</Td>
        <Td dense className="whitespace-nowrap text-zinc-700">
          <RelativeTime iso={run.startedAt} />
        </Td>
        <Td dense className="whitespace-nowrap text-zinc-700 tabular-nums">
          {run.endedAt ? duration(run.startedAt, run.endedAt) : <span className="text-zinc-500">running</span>}
        </Td>
      </tr>
      {open && (
        <tr id={detailsId} className="bg-zinc-50/70">
          <td />
          <td colSpan={8} className="px-3 pt-1 pb-4">
            <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
              <div>
                <h3 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Steps</h3>
                {run.steps.length === 0 ? (
                  <p className="text-sm text-zinc-500">
                    {run.status === "COMPLETED"
                      ? "No steps: the function did its work in one call."
                      : run.endedAt
                        ? "No step finished before the run ended."
                        : "No step has finished yet."}
                  </p>
                ) : (
                  <ol className="space-y-1.5" aria-label="Steps">
                    {run.steps.map((step) => (
                      <li key={`${step.id}-${step.at}`} className="flex items-center gap-2 text-sm">
                        {step.status === "failed" ? (
                          <CircleAlert className="size-4 text-red-600" aria-label="failed" />
                        ) : (
                          <CircleCheck className="size-4 text-emerald-600" aria-label="completed" />
                        )}
                        <span className="font-mono text-xs text-zinc-800">{step.name ?? step.id}</span>
                        <span className="text-xs text-zinc-500">{OP_LABEL[step.op.toLowerCase()] ?? step.op.toLowerCase()}</span>
                        {step.attempt > 0 && <span className="text-xs text-zinc-500">try {step.attempt + 1}</span>}
                        <span className="ml-auto text-xs text-zinc-500">
                          <RelativeTime iso={step.at} />
                        </span>
                      </li>
                    ))}
                  </ol>
                )}
                <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs text-zinc-600">
                  <dt>Run</dt>
                  <dd className="font-mono">{run.id}</dd>
                  {data.endpointId && (
                    <>
                      <dt>Endpoint</dt>
                      <dd>
                        <Link href={`/endpoints/${data.endpointId}`} className="font-mono text-brand-700 hover:underline">
                          {data.endpointId}
                        </Link>
                      </dd>
                    </>
                  )}
                  {run.endedAt && (
                    <>
                      <dt>Ended</dt>
                      <dd>
                        <RelativeTime iso={run.endedAt} />
                      </dd>
                    </>
                  )}
                </dl>
              </div>
              <div className="space-y-3">
                {error && (
                  <div>
                    <h3 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">{run.status === "FAILED" ? "Error" : "Last error"}</h3>
                    <CodeBlock label="Run error" className="max-h-48 whitespace-pre-wrap">{error}</CodeBlock>
                  </div>
                )}
                {run.output != null && (
                  <div>
                    <h3 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Output</h3>
                    <CodeBlock label="Run output" className="max-h-48">{JSON.stringify(run.output, null, 2)}</CodeBlock>
                  </div>
                )}
                <div>
                  <h3 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Event data</h3>
                  <CodeBlock label="Event data" className="max-h-48">{JSON.stringify(run.event.data ?? {}, null, 2)}</CodeBlock>
                </div>
              </div>
            </div>
          </td>
        </tr>
      )}
    </Fragment>
  );
}
