"use client";

import { FlaskConical, RotateCcw, Send } from "lucide-react";
import Link from "next/link";
import { useId, useMemo, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { RoutingResult } from "@/lib/features/playground/components/routing-result";
import type { FireResult, PlaygroundTemplate } from "@/lib/features/playground/types";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FieldError, Input, Label, Textarea } from "@/components/ui/inputs";
import { readError } from "@/lib/api-client";
import { useFirePlaygroundEvent } from "../api/fire";

type Props = { templates: PlaygroundTemplate[]; endpointCount: number; canWrite: boolean };
type Errors = { eventType?: string; account?: string; payload?: string; root?: string };

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

function parseObject(text: string): { value: Record<string, unknown> } | { error: string } {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "The payload must be a JSON object ({ … })" };
    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
}

export function PlaygroundClient({ templates, endpointCount, canWrite }: Props) {
  const fire = useFirePlaygroundEvent();
  const ids = useId();
  const initial = templates.find((template) => template.name === "call:completed" && template.inCatalog) ?? templates.find((template) => template.inCatalog);
  const [eventType, setEventType] = useState(initial?.name ?? "");
  const [account, setAccount] = useState(typeof initial?.example?.account === "string" ? initial.example.account : "");
  const [payloadText, setPayloadText] = useState(initial?.example ? pretty(initial.example) : "{\n  \n}");
  const [durationDraft, setDurationDraft] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [fired, setFired] = useState<{ result: FireResult; at: number } | null>(null);

  const template = templates.find((candidate) => candidate.name === eventType);
  const parsed = useMemo(() => parseObject(payloadText), [payloadText]);
  const payload = "value" in parsed ? parsed.value : null;
  const isCall = eventType.startsWith("call:") || typeof payload?.duration === "number";

  const applyTemplate = (next: PlaygroundTemplate) => {
    if (!next.example) return;
    setPayloadText(pretty(next.example));
    setDurationDraft(null);
    if (typeof next.example.account === "string") setAccount(next.example.account);
  };
  const onEventType = (value: string) => {
    setEventType(value);
    setErrors((current) => ({ ...current, eventType: undefined }));
    const match = templates.find((candidate) => candidate.name === value);
    if (match) applyTemplate(match);
  };
  // Quick fields edit the JSON itself, so what you see in the payload is exactly what gets published.
  const patch = (key: string, value: unknown) => {
    if (!payload) return;
    setPayloadText(pretty({ ...payload, [key]: value }));
  };
  const onAccount = (value: string) => {
    setAccount(value);
    if (payload && typeof payload.account === "string" && value.trim()) patch("account", value.trim());
  };
  const onDuration = (value: string) => {
    setDurationDraft(value);
    const seconds = Number(value);
    if (value.trim() !== "" && Number.isFinite(seconds)) patch("duration", seconds);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const next: Errors = {};
    if (!/^[A-Za-z0-9._:-]+$/.test(eventType)) next.eventType = eventType ? "Use letters, digits and . _ : - only" : "Choose or type an event type";
    if ("error" in parsed) next.payload = parsed.error;
    setErrors(next);
    if (Object.keys(next).length) return;

    let result: FireResult;
    try {
      result = await fire.mutateAsync({ eventType, account: account.trim() || undefined, payloadText });
    } catch (error) {
      const { code, message, issues } = readError(error, "Could not publish the event");
      const payloadIssues = issues.filter((issue) => issue.path?.startsWith("payload"));
      const typeIssue = issues.find((issue) => issue.path === "eventType");
      const accountIssue = issues.find((issue) => issue.path === "account");
      if (code === "validation_failed" && (payloadIssues.length || typeIssue || accountIssue)) {
        setErrors({
          eventType: typeIssue?.message,
          account: accountIssue?.message,
          payload: payloadIssues.length
            ? `${message === "The request is not valid" ? "" : `${message}: `}${payloadIssues
                .map((issue) => `${issue.path === "payloadText" ? "" : `${issue.path?.replace(/^payload\.?/, "") || "payload"} `}${issue.message}`)
                .join("; ")}`
            : undefined,
        });
      } else {
        setErrors({ root: message });
      }
      return;
    }
    setFired({ result, at: Date.now() });
    const matched = result.endpoints.filter((endpoint) => endpoint.matched).length;
    toast.success(`Published ${result.message.eventType}: ${matched} endpoint${matched === 1 ? "" : "s"} matched`);
  };

  const catalog = templates.filter((candidate) => candidate.inCatalog);
  const durationValue = durationDraft ?? (typeof payload?.duration === "number" ? String(payload.duration) : "");

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <form onSubmit={onSubmit} noValidate aria-label="Sample event" className="min-w-0 space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
        <h2 className="text-sm font-semibold">Sample event</h2>
        {!canWrite && <Alert>Viewers can prepare an event but not publish it.</Alert>}
        {errors.root && <Alert tone="error">{errors.root}</Alert>}
        <div>
          <Label htmlFor={`${ids}-type`} hint={catalog.length ? "choose from the catalog or type one" : "type one"}>
            Event type
          </Label>
          <Input
            id={`${ids}-type`}
            list={`${ids}-types`}
            value={eventType}
            onChange={(event) => onEventType(event.target.value)}
            placeholder="call:completed"
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            aria-invalid={errors.eventType ? true : undefined}
            aria-describedby={`${ids}-type-help`}
          />
          <datalist id={`${ids}-types`}>
            {catalog.map((candidate) => (
              <option key={candidate.name} value={candidate.name}>
                {candidate.description}
              </option>
            ))}
          </datalist>
          <div id={`${ids}-type-help`}>
            {errors.eventType ? (
              <FieldError>{errors.eventType}</FieldError>
            ) : template ? (
              <p className="mt-1 text-xs text-zinc-500">
                {template.description}
                {!template.inCatalog && (
                  <>
                    {" "}· from a preset, not in your{" "}
                    <Link href="/event-types" className="text-brand-700 hover:underline">
                      catalog
                    </Link>
                  </>
                )}
              </p>
            ) : eventType ? (
              <p className="mt-1 text-xs text-zinc-500">Not in the catalog: published as is, with no schema check.</p>
            ) : null}
          </div>
        </div>

        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <div>
            <Label htmlFor={`${ids}-account`} hint="optional">
              Account
            </Label>
            <Input
              id={`${ids}-account`}
              value={account}
              onChange={(event) => onAccount(event.target.value)}
              placeholder="acc_1"
              autoComplete="off"
              className="font-mono"
              aria-invalid={errors.account ? true : undefined}
            />
            <FieldError>{errors.account}</FieldError>
          </div>
          {isCall && (
            <div>
              <Label htmlFor={`${ids}-duration`}>Duration (s)</Label>
              <Input
                id={`${ids}-duration`}
                type="number"
                min={0}
                inputMode="numeric"
                value={durationValue}
                onChange={(event) => onDuration(event.target.value)}
                disabled={!payload}
                aria-describedby={`${ids}-duration-hint`}
              />
              <p id={`${ids}-duration-hint`} className="mt-1 text-xs text-zinc-500">
                Sets <span className="font-mono">duration</span> in the payload.
              </p>
            </div>
          )}
        </div>

        <div>
          <div className="mb-1.5 flex items-center justify-between">
            <Label htmlFor={`${ids}-payload`}>Payload</Label>
            {template?.example && (
              <button
                type="button"
                onClick={() => applyTemplate(template)}
                className="inline-flex items-center gap-1 text-xs text-zinc-600 hover:text-zinc-900"
              >
                <RotateCcw className="size-3" aria-hidden />
                Reset to example
              </button>
            )}
          </div>
          <Textarea
            id={`${ids}-payload`}
            value={payloadText}
            onChange={(event) => {
              setPayloadText(event.target.value);
              setDurationDraft(null);
              setErrors((current) => ({ ...current, payload: undefined }));
            }}
            rows={16}
            spellCheck={false}
            className="font-mono text-xs"
            aria-invalid={errors.payload || "error" in parsed ? true : undefined}
            aria-describedby={`${ids}-payload-help`}
          />
          <div id={`${ids}-payload-help`}>
            {errors.payload ? (
              <FieldError>{errors.payload}</FieldError>
            ) : "error" in parsed ? (
              <p className="mt-1 text-xs text-amber-700">{parsed.error}</p>
            ) : (
              <p className="mt-1 text-xs text-zinc-500">Published as compact JSON, exactly as a server action calling publish() would.</p>
            )}
          </div>
        </div>
        <div className="flex items-center justify-between gap-3 border-t border-zinc-100 pt-4">
          <p className="text-xs text-zinc-500">
            {endpointCount} endpoint{endpointCount === 1 ? "" : "s"} in this workspace
          </p>
          <Button type="submit" pending={fire.isPending} disabled={!canWrite}>
            {!fire.isPending && <Send className="size-4" aria-hidden />}
            Publish
          </Button>
        </div>
      </form>

      <section aria-labelledby={`${ids}-result`} className="min-w-0 rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
        <h2 id={`${ids}-result`} className="mb-4 text-sm font-semibold">
          Routing
        </h2>
        {fired ? (
          <RoutingResult key={fired.result.message.id} result={fired.result} firedAt={fired.at} />
        ) : (
          <EmptyState icon={FlaskConical} title="Publish to see the routing">
            {endpointCount === 0 ? (
              <>
                No endpoint yet: the event will be stored but reach no one.{" "}
                <Link href="/endpoints" className="font-medium text-brand-700 hover:underline">
                  Add an endpoint
                </Link>{" "}
                first to watch it being delivered.
              </>
            ) : (
              <>Every endpoint is listed with each check it ran: event type, account and payload conditions, ✓ or ✗.</>
            )}
          </EmptyState>
        )}
      </section>
    </div>
  );
}
