"use client";

import { useSyncExternalStore } from "react";

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 31_536_000],
  ["month", 2_592_000],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];
const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function relative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === "second") return format.format(Math.round(seconds / size), unit);
  }
  return iso;
}

// One clock for every RelativeTime on the page, ticking while any is mounted.
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  if (listeners.size === 0) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, 15_000);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) clearInterval(timer);
  };
}

/**
 * "3 minutes ago", kept fresh, with the exact time on hover. Renders the ISO time until hydrated.
 * The shared clock ticks every 15 s, so a time that just happened can be newer than it: a past
 * time (the default) never reads as "in 3 seconds", it reads "now"; `future` for times that may
 * still be ahead (a next attempt, a wake-up).
 */
export function RelativeTime({ iso, future = false }: { iso: string; future?: boolean }) {
  // null on the server and during hydration, so both render the same text.
  const current = useSyncExternalStore(subscribe, () => now, () => null);
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()} suppressHydrationWarning>
      {current === null ? new Date(iso).toISOString().slice(0, 19).replace("T", " ") : relative(iso, future ? current : Math.max(current, Date.parse(iso)))}
    </time>
  );
}
