"use client";

import { parseJsonObject } from "@/lib/json-object";
import { Send } from "lucide-react";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { useSendTest } from "../../api/endpoint";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input, Label, Select, Textarea } from "@/components/ui/inputs";
import type { AttemptDto } from "@/lib/features/endpoints/list-attempts";
import { formatDurationMs } from "../format";
import type { CatalogEventType } from "@/lib/features/endpoints/types";
import { ResultBadge } from "./attempt-badges";
import { BodyView } from "./body-view";
import { HeadersTable } from "./headers-table";

function example(catalog: CatalogEventType[], name: string) {
  return JSON.stringify(catalog.find((type) => type.name === name)?.examplePayload ?? { test: true }, null, 2);
}

/** Seed 002's panel: pick an event type, edit its example, send it to this endpoint now, read the receiver's answer. */
export function SendTestPanel({ endpointId, eventTypes, catalog }: { endpointId: string; eventTypes: string[]; catalog: CatalogEventType[] }) {
  const choices = eventTypes.length ? eventTypes : catalog.map((type) => type.name);
  const [eventType, setEventType] = useState(choices[0] ?? "test.event");
  const [text, setText] = useState(() => example(catalog, choices[0] ?? ""));
  const [result, setResult] = useState<AttemptDto | null>(null);

  const validation = useMemo(() => {
    const parsed = parseJsonObject(text);
    return parsed.ok ? null : parsed.message;
  }, [text]);

  const send = useSendTest(endpointId, {
    onSuccess: (attempt) => {
      setResult(attempt);
      if (attempt.outcome === "success") toast.success(`The receiver answered ${attempt.responseStatus}`);
      else toast.error(`Test failed: ${attempt.responseStatus ?? attempt.errorCode}`);
    },
    onError: (error) => toast.error(error.message),
  });

  return (
    <Card title="Send test" description="Delivers one test message to this endpoint now, whatever its filters. It shows in the attempts as “Test”.">
      <form
        className="space-y-4"
        aria-label="Send test"
        onSubmit={(event) => {
          event.preventDefault();
          if (!validation) send.mutate({ eventType, body: text });
        }}
      >
        <div>
          <Label htmlFor="test-event-type">Event type</Label>
          {choices.length ? (
            <Select
              id="test-event-type"
              value={eventType}
              onChange={(event) => {
                setEventType(event.target.value);
                setText(example(catalog, event.target.value));
              }}
            >
              {choices.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </Select>
          ) : (
            <Input id="test-event-type" value={eventType} onChange={(event) => setEventType(event.target.value)} className="font-mono" />
          )}
        </div>
        <div>
          <div className="flex items-baseline justify-between">
            <Label htmlFor="test-payload">Payload</Label>
            <button type="button" className="text-xs font-medium text-brand-700 hover:underline" onClick={() => setText(example(catalog, eventType))}>
              Reset to example
            </button>
          </div>
          <Textarea
            id="test-payload"
            value={text}
            onChange={(event) => setText(event.target.value)}
            rows={12}
            spellCheck={false}
            className="font-mono text-xs leading-relaxed"
            aria-invalid={validation ? true : undefined}
            aria-describedby={validation ? "test-payload-error" : "test-payload-hint"}
          />
          {validation ? (
            <p id="test-payload-error" className="mt-1 text-sm text-red-600">
              {validation}
            </p>
          ) : (
            <p id="test-payload-hint" className="mt-1 text-xs text-zinc-500">
              Sent byte for byte as written, signed with the endpoint&apos;s scheme.
            </p>
          )}
        </div>
        <Button type="submit" className="w-full" disabled={validation !== null} pending={send.isPending}>
          <Send className="size-4" aria-hidden />
          {send.isPending ? "Sending…" : "Send test"}
        </Button>
      </form>

      {result && (
        <section aria-label="Test result" className="mt-5 space-y-3 border-t border-zinc-100 pt-4">
          <div className="flex flex-wrap items-center gap-3">
            <ResultBadge outcome={result.outcome} responseStatus={result.responseStatus} errorCode={result.errorCode} />
            <span className="text-sm text-zinc-600 tabular-nums">{formatDurationMs(result.durationMs)}</span>
            <span className="text-sm text-zinc-500">{result.outcome === "success" ? "Delivered" : "Failed"}</span>
          </div>
          {result.errorMessage && <Alert tone="error">{result.errorMessage}</Alert>}
          {result.responseStatus !== null && (
            <>
              <details className="group">
                <summary className="cursor-pointer text-xs font-medium text-zinc-500 uppercase">Response headers</summary>
                <div className="mt-2">
                  <HeadersTable headers={result.responseHeaders} label="Test response headers" />
                </div>
              </details>
              <div>
                <h3 className="mb-1 text-xs font-medium text-zinc-500 uppercase">Response body</h3>
                <BodyView body={result.responseBody} label="Test response body" />
              </div>
            </>
          )}
        </section>
      )}
    </Card>
  );
}
