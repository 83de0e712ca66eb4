"use client";

import { Search, X } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/inputs";
import { DELIVERY_STATUSES, filtersToSearch, FILTER_KEYS, type MessageFilters } from "./filters-shared";
import { statusLabel } from "./delivery-summary";

/** ISO ↔ the browser's local `datetime-local` value, so people pick times in their own zone. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function FilterBar({ filters, eventTypes }: { filters: MessageFilters; eventTypes: string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [draft, setDraft] = useState({
    eventType: filters.eventType ?? "",
    account: filters.account ?? "",
    status: filters.status ?? "",
    since: toLocalInput(filters.since),
    until: toLocalInput(filters.until),
    includeTests: filters.includeTests === "true",
  });

  const apply = (next: typeof draft) => {
    const query = filtersToSearch({
      eventType: next.eventType || undefined,
      account: next.account.trim() || undefined,
      status: next.status || undefined,
      since: fromLocalInput(next.since),
      until: fromLocalInput(next.until),
      includeTests: next.includeTests ? "true" : undefined,
    });
    startTransition(() => router.push(query ? `${pathname}?${query}` : pathname));
  };
  // Selects and checkboxes apply at once; typed fields apply on Enter or "Apply".
  const change = (patch: Partial<typeof draft>, immediate = false) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if (immediate) apply(next);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const active = FILTER_KEYS.some((key) => filters[key]);
  // An event type in the URL that is not in the catalog (typed by hand, or since deleted) stays selectable.
  const options = draft.eventType && !eventTypes.includes(draft.eventType) ? [draft.eventType, ...eventTypes] : eventTypes;

  return (
    <form onSubmit={onSubmit} aria-label="Filter messages" className="mb-4 rounded-xl bg-white p-3 shadow-sm ring-1 ring-zinc-200">
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-[1.2fr_1fr_0.9fr_1fr_1fr]">
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-zinc-600">Event type</span>
          <Select value={draft.eventType} onChange={(event) => change({ eventType: event.target.value }, true)} className="font-mono text-xs">
            <option value="">All event types</option>
            {options.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </Select>
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-zinc-600">Account</span>
          <Input value={draft.account} onChange={(event) => change({ account: event.target.value })} placeholder="acc_1" className="font-mono text-xs" />
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-zinc-600">Delivery status</span>
          <Select value={draft.status} onChange={(event) => change({ status: event.target.value }, true)}>
            <option value="">Any status</option>
            {DELIVERY_STATUSES.map((status) => (
              <option key={status} value={status}>
                {statusLabel(status)}
              </option>
            ))}
          </Select>
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-zinc-600">Since</span>
          <Input type="datetime-local" value={draft.since} onChange={(event) => change({ since: event.target.value })} className="text-xs" />
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-zinc-600">Until</span>
          <Input type="datetime-local" value={draft.until} onChange={(event) => change({ until: event.target.value })} className="text-xs" />
        </label>
      </div>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input
            type="checkbox"
            checked={draft.includeTests}
            onChange={(event) => change({ includeTests: event.target.checked }, true)}
            className="size-4 rounded border-zinc-300 text-brand-600"
          />
          Include test sends
        </label>
        <div className="flex items-center gap-2">
          {active && (
            <Link href={pathname} className="inline-flex h-8 items-center gap-1 rounded-md px-2.5 text-sm text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900">
              <X className="size-3.5" aria-hidden />
              Clear filters
            </Link>
          )}
          <Button type="submit" size="sm" variant="secondary" pending={pending}>
            <Search className="size-3.5" aria-hidden />
            Apply
          </Button>
        </div>
      </div>
    </form>
  );
}
