"use client";

import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { cn } from "@/components/ui/cn";
import type { SeriesBucket } from "@/lib/features/overview/queries";
import { formatRate, successRate } from "./format";

// Axis ticks in the 44 px the axis has: 20000 → "20K" (whole numbers stay as they are below 1,000).
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

const RANGES = {
  "24h": { label: "24 hours", caption: "per hour, last 24 hours" },
  "14d": { label: "14 days", caption: "per day (UTC), last 14 days" },
} as const;
type Range = keyof typeof RANGES;

const SUCCEEDED = "#10b981";
const FAILED = "#ef4444";
const number = new Intl.NumberFormat("en");

function tickLabel(range: Range, iso: string): string {
  const date = new Date(iso);
  return range === "24h"
    ? date.toLocaleTimeString("en", { hour: "numeric" })
    : date.toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });
}

function bucketLabel(range: Range, iso: string): string {
  const date = new Date(iso);
  if (range === "14d") return date.toLocaleDateString("en", { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
  const end = new Date(date.getTime() + 3_600_000);
  return `${date.toLocaleDateString("en", { month: "short", day: "numeric" })}, ${date.toLocaleTimeString("en", { hour: "numeric", minute: "2-digit" })}–${end.toLocaleTimeString("en", { hour: "numeric", minute: "2-digit" })}`;
}

/** Stacked succeeded/failed attempts with the range's success rate, 24 h by hour or 14 d by day. */
export function DeliveryChart({ hourly, daily }: { hourly: SeriesBucket[]; daily: SeriesBucket[] }) {
  const [range, setRange] = useState<Range>("24h");
  const data = range === "24h" ? hourly : daily;
  const { total, rate } = successRate(data);

  return (
    <section aria-labelledby="chart-title" className="rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
      <header className="flex flex-wrap items-start justify-between gap-4 border-b border-zinc-100 px-5 py-4">
        <div>
          <h2 id="chart-title" className="text-sm font-semibold text-zinc-900">
            Delivery attempts
          </h2>
          <p className="mt-0.5 text-sm text-zinc-500">Succeeded and failed, {RANGES[range].caption}. Test sends are not counted.</p>
        </div>
        <div className="flex items-center gap-5">
          <div className="text-right">
            <div className="text-2xl font-semibold tracking-tight tabular-nums" data-testid="range-success-rate">
              {formatRate(rate)}
            </div>
            <div className="text-xs text-zinc-500">
              success · {number.format(total)} {total === 1 ? "attempt" : "attempts"}
            </div>
          </div>
          <div role="group" aria-label="Time range" className="inline-flex rounded-md bg-zinc-100 p-0.5">
            {(Object.keys(RANGES) as Range[]).map((key) => (
              <button
                key={key}
                type="button"
                aria-pressed={range === key}
                onClick={() => setRange(key)}
                className={cn(
                  "rounded px-2.5 py-1 text-xs font-medium",
                  range === key ? "bg-white text-zinc-900 shadow-sm ring-1 ring-zinc-200" : "text-zinc-600 hover:text-zinc-900",
                )}
              >
                {RANGES[key].label}
              </button>
            ))}
          </div>
        </div>
      </header>
      <div className="px-2 pt-4 pb-2 sm:px-4">
        <div className="h-64" role="img" aria-label={`Bar chart of delivery attempts ${RANGES[range].caption}: ${number.format(total)} attempts, ${formatRate(rate)} succeeded`}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -12 }} barCategoryGap="18%">
              <CartesianGrid vertical={false} stroke="#f4f4f5" />
              <XAxis
                dataKey="bucket"
                tickFormatter={(value: string) => tickLabel(range, value)}
                tick={{ fontSize: 11, fill: "#71717a" }}
                tickLine={false}
                axisLine={{ stroke: "#e4e4e7" }}
                interval={range === "24h" ? 2 : 1}
                minTickGap={8}
              />
              <YAxis allowDecimals={false} tickFormatter={(value: number) => compact.format(value)} tick={{ fontSize: 11, fill: "#71717a" }} tickLine={false} axisLine={false} width={44} />
              <Tooltip cursor={{ fill: "#f4f4f5" }} content={(props) => <ChartTooltip active={props.active} payload={props.payload} range={range} />} />
              <Bar dataKey="succeeded" name="Succeeded" stackId="attempts" fill={SUCCEEDED} isAnimationActive={false} />
              <Bar dataKey="failed" name="Failed" stackId="attempts" fill={FAILED} radius={[2, 2, 0, 0]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <div className="flex items-center gap-4 px-3 pt-1 pb-2 text-xs text-zinc-600">
          <span className="inline-flex items-center gap-1.5">
            <span className="size-2.5 rounded-sm" style={{ background: SUCCEEDED }} aria-hidden /> Succeeded
          </span>
          <span className="inline-flex items-center gap-1.5">
            <span className="size-2.5 rounded-sm" style={{ background: FAILED }} aria-hidden /> Failed
          </span>
        </div>
      </div>
    </section>
  );
}

function ChartTooltip({ active, payload, range }: { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }>; range: Range }) {
  if (!active || !payload?.length) return null;
  const bucket = payload[0]!.payload as SeriesBucket;
  const total = bucket.succeeded + bucket.failed;
  return (
    <div className="rounded-md bg-white px-3 py-2 text-xs shadow-lg ring-1 ring-zinc-200">
      <div className="mb-1 font-medium text-zinc-900">{bucketLabel(range, bucket.bucket)}</div>
      <div className="flex justify-between gap-6 text-zinc-700">
        <span>Succeeded</span>
        <span className="tabular-nums">{number.format(bucket.succeeded)}</span>
      </div>
      <div className="flex justify-between gap-6 text-zinc-700">
        <span>Failed</span>
        <span className="tabular-nums">{number.format(bucket.failed)}</span>
      </div>
      {total > 0 && <div className="mt-1 border-t border-zinc-100 pt-1 text-zinc-500">{formatRate(bucket.succeeded / total)} success</div>}
    </div>
  );
}
