"use client";

import { useId, useState, type ReactNode } from "react";
import { cn } from "./cn";

/** WAI-ARIA tabs: arrow keys move between tabs, only the active one is in the tab order. */
export function Tabs({ tabs, label }: { tabs: Array<{ id: string; label: string; content: ReactNode }>; label: string }) {
  const [active, setActive] = useState(tabs[0]?.id);
  const base = useId();
  return (
    <div>
      <div role="tablist" aria-label={label} className="flex gap-1 border-b border-zinc-200">
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            id={`${base}-tab-${tab.id}`}
            type="button"
            role="tab"
            aria-selected={active === tab.id}
            aria-controls={`${base}-panel-${tab.id}`}
            tabIndex={active === tab.id ? 0 : -1}
            onClick={() => setActive(tab.id)}
            onKeyDown={(event) => {
              if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
              const next = tabs[(index + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length]!;
              setActive(next.id);
              document.getElementById(`${base}-tab-${next.id}`)?.focus();
            }}
            className={cn(
              "-mb-px border-b-2 px-3 py-1.5 text-sm font-medium",
              active === tab.id ? "border-brand-600 text-zinc-900" : "border-transparent text-zinc-500 hover:text-zinc-800",
            )}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div key={tab.id} id={`${base}-panel-${tab.id}`} role="tabpanel" aria-labelledby={`${base}-tab-${tab.id}`} hidden={active !== tab.id} className="pt-3">
          {tab.content}
        </div>
      ))}
    </div>
  );
}
