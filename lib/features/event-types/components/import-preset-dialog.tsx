"use client";

import { Check, Download } from "lucide-react";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { PresetSummary } from "../types";

const SCHEMES: Record<string, string> = {
  standard: "Standard Webhooks",
  "hmac-sha256": "HMAC-SHA256",
  "hmac-sha1": "HMAC-SHA1",
  stripe: "Stripe-style",
  "body-secret": "Secret in body",
  none: "Unsigned",
};

function recommended(preset: PresetSummary): string[] {
  const { signature, retryPolicy, timeoutMs, requireHttps, failureThreshold, disableOnGone } = preset.endpoint;
  const header = signature.header ?? (signature.headerPrefix ? `${signature.headerPrefix}-Signature` : signature.field ? `field "${signature.field}"` : null);
  return [
    `Signing: ${SCHEMES[signature.scheme] ?? signature.scheme}${header ? ` (${header})` : ""}${signature.timestamp === "event" ? ", event-time timestamp" : ""}`,
    `Retries: ${retryPolicy.preset}`,
    `Timeout: ${timeoutMs / 1000} s`,
    ...(signature.hooklineHeaders === false ? ["Only the document's headers"] : []),
    ...(requireHttps ? ["HTTPS only"] : []),
    ...(failureThreshold !== undefined || disableOnGone === false
      ? [`Paused after ${failureThreshold ?? 10} failures${disableOnGone === false ? " (410 included)" : ""}`]
      : []),
  ];
}

type Props = {
  open: boolean;
  onClose: () => void;
  presets: PresetSummary[];
  existing: ReadonlySet<string>;
  onImport: (presetId: string) => Promise<void>;
};

/** The five products' catalogs; importing never overwrites an event type that already exists. */
export function ImportPresetDialog({ open, onClose, presets, existing, onImport }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  return (
    <Dialog open={open} onClose={onClose} title="Import a preset" wide>
      <p className="mb-4 text-sm text-zinc-600">
        Each preset is the event catalog of a kind of product, with example payloads. Importing adds the events you don’t have yet;
        existing ones are left untouched. The recommended endpoint settings make a receiver written for that product work unchanged.
      </p>
      <ul className="space-y-3">
        {presets.map((preset) => {
          const have = preset.events.filter((name) => existing.has(name)).length;
          const complete = have === preset.events.length;
          return (
            <li key={preset.id} className="rounded-lg p-4 ring-1 ring-zinc-200" aria-label={preset.name}>
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0 flex-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <h3 className="text-sm font-semibold">{preset.name}</h3>
                    <Badge>
                      {preset.events.length} event{preset.events.length === 1 ? "" : "s"}
                    </Badge>
                    {complete ? (
                      <Badge tone="success">
                        <Check className="size-3" aria-hidden />
                        Imported
                      </Badge>
                    ) : have > 0 ? (
                      <Badge tone="info">{have} already in catalog</Badge>
                    ) : null}
                  </div>
                  <p className="mt-1 text-sm text-zinc-600">{preset.description}</p>
                  <p className="mt-2 truncate font-mono text-xs text-zinc-500" title={preset.events.join(", ")}>
                    {preset.events.join(" · ")}
                  </p>
                  <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="Recommended endpoint settings">
                    {recommended(preset).map((line) => (
                      <li key={line} className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700">
                        {line}
                      </li>
                    ))}
                  </ul>
                </div>
                <Button
                  size="sm"
                  variant="secondary"
                  pending={busy === preset.id}
                  disabled={busy !== null && busy !== preset.id}
                  onClick={async () => {
                    setBusy(preset.id);
                    try {
                      await onImport(preset.id);
                    } finally {
                      setBusy(null);
                    }
                  }}
                  aria-label={`Import ${preset.name}`}
                >
                  {busy !== preset.id && <Download className="size-3.5" aria-hidden />}
                  Import
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
    </Dialog>
  );
}
