"use client";

import { useState } from "react";
import { CodeBlock, formatMaybeJson } from "@/components/ui/code";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";

/** A body with a Pretty / Raw switch (pretty only when it is JSON). */
export function BodyView({ body, label, empty = "Empty body." }: { body: string | null | undefined; label: string; empty?: string }) {
  const [raw, setRaw] = useState(false);
  if (!body) return <p className="text-sm text-zinc-500">{empty}</p>;
  const pretty = formatMaybeJson(body);
  const isJson = pretty !== body || /^\s*[[{]/.test(body);
  return (
    <div>
      <div className="mb-1.5 flex items-center justify-end gap-2">
        {isJson && (
          <div role="group" aria-label={`${label} format`} className="inline-flex rounded-md bg-zinc-100 p-0.5 text-xs">
            {(["Pretty", "Raw"] as const).map((mode) => (
              <button
                key={mode}
                type="button"
                aria-pressed={(mode === "Raw") === raw}
                onClick={() => setRaw(mode === "Raw")}
                className={cn("rounded px-2 py-0.5 font-medium", (mode === "Raw") === raw ? "bg-white shadow-sm" : "text-zinc-600")}
              >
                {mode}
              </button>
            ))}
          </div>
        )}
        <CopyButton value={body} />
      </div>
      <CodeBlock label={label} className={raw ? "break-all whitespace-pre-wrap" : undefined}>
        {raw ? body : pretty}
      </CodeBlock>
    </div>
  );
}
