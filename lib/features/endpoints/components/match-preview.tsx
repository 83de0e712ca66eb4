"use client";

import { parseJsonObject } from "@/lib/json-object";
import { Check, X } from "lucide-react";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { FormField } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/inputs";
import { explainMatch } from "@/lib/delivery/filter";
import type { Filter } from "@/lib/delivery/schemas";
import type { CatalogEventType } from "../types";
import { useEndpointOps } from "../api/ops";

type Props = {
  catalog: CatalogEventType[];
  /** The endpoint as the form currently describes it. */
  eventTypes: string[];
  filter: Filter;
};

function pretty(value: unknown) {
  return JSON.stringify(value ?? {}, null, 2);
}

/**
 * "Would this example match?": the publisher's own explainMatch, run in the browser on the
 * chosen type's example payload (editable), so every filter edit shows its effect at once.
 */
export function MatchPreview({ catalog, eventTypes, filter }: Props) {
  const candidates = eventTypes.length ? eventTypes : catalog.map((type) => type.name);
  const exampleOf = (name: string) => pretty(catalog.find((type) => type.name === name)?.examplePayload);
  const [chosen, setChosen] = useState({ eventType: candidates[0] ?? "", text: exampleOf(candidates[0] ?? "") });
  const [account, setAccount] = useState("");
  // A portal session's messages are all its own account's: nothing to choose there.
  const { portal } = useEndpointOps();
  // Follows the event selection: when the chosen type is no longer one of the endpoint's, the first that is (with its example).
  const eventType = candidates.includes(chosen.eventType) ? chosen.eventType : (candidates[0] ?? "");
  const text = eventType === chosen.eventType ? chosen.text : exampleOf(eventType);
  const setText = (next: string) => setChosen({ eventType, text: next });

  const parsed = useMemo(() => parseJsonObject(text), [text]);

  // As publish does: the message's account, else the payload's own `account` field.
  const effectiveAccount = account.trim() || (parsed.ok && typeof parsed.value.account === "string" ? parsed.value.account : null);
  const explanation = parsed.ok && eventType ? explainMatch({ eventTypes, filter }, { eventType, account: effectiveAccount, payload: parsed.value }) : null;

  return (
    <div className="rounded-lg bg-zinc-50 p-4 ring-1 ring-zinc-200" aria-labelledby="match-preview-title">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h3 id="match-preview-title" className="text-sm font-semibold">
          Would this example match?
        </h3>
        {explanation && (
          <Badge tone={explanation.matched ? "success" : "danger"}>{explanation.matched ? "Would be delivered" : "Would be skipped"}</Badge>
        )}
      </div>
      {candidates.length === 0 ? (
        <p className="text-sm text-zinc-500">Add event types to the catalog to try the filters on an example.</p>
      ) : (
        <div className="space-y-3">
          <div className="grid grid-cols-1 gap-3">
            <FormField label="Event type">
              <Select
                id="preview-event-type"
                value={eventType}
                onChange={(event) => setChosen({ eventType: event.target.value, text: exampleOf(event.target.value) })}
              >
                {candidates.map((name) => (
                  <option key={name}>{name}</option>
                ))}
              </Select>
            </FormField>
            {!portal && (
              <FormField label="Account" labelHint="optional">
                <Input
                  id="preview-account"
                  value={account}
                  onChange={(event) => setAccount(event.target.value)}
                  placeholder={effectiveAccount && !account ? `${effectiveAccount} (from the payload)` : "none"}
                />
              </FormField>
            )}
          </div>
          <FormField label="Example payload" error={parsed.ok ? undefined : parsed.message}>
            <Textarea id="preview-payload" value={text} onChange={(event) => setText(event.target.value)} rows={8} spellCheck={false} className="font-mono text-xs" />
          </FormField>
          {explanation && (
            <ul className="space-y-1.5" aria-label="Checks">
              {explanation.reasons.map((reason, index) => (
                <li key={index} className="flex items-start gap-2 text-sm">
                  <span
                    className={cn("mt-0.5 flex size-4 shrink-0 items-center justify-center rounded-full", reason.ok ? "bg-emerald-100 text-emerald-700" : "bg-red-100 text-red-700")}
                  >
                    {reason.ok ? <Check className="size-3" aria-label="passes" /> : <X className="size-3" aria-label="fails" />}
                  </span>
                  <span className={cn("min-w-0 wrap-anywhere", reason.ok ? "text-zinc-700" : "text-zinc-900")}>{reason.message}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
