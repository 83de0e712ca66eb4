"use client";

import { AlertTriangle, Plus, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Controller, useFieldArray, useForm, useWatch, type FieldError } from "react-hook-form";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { FieldError as ErrorText, Input, Label, Select, Textarea } from "@/components/ui/inputs";
import { Switch } from "@/components/ui/switch";
import { readError } from "@/lib/api-client";
import { policyJitters, policyMaxDelay, retrySchedule } from "@/lib/delivery/policy";
import { looksLikeCredential, RETRY_PRESETS, SIGNATURE_SCHEMES, TIMESTAMPED_SCHEMES, type Filter } from "@/lib/delivery/schemas";
import { signatureHeaderNames } from "@/lib/delivery/signature-headers";
import { eventTypePresets } from "@/lib/features/event-types/presets";
import { useSaveEndpoint } from "../api/endpoint";
import { useEndpointOps } from "../api/ops";
import { EventPicker } from "./event-picker";
import { buttonClasses } from "@/components/ui/link-button";
import { describeRetryPolicy, formatDelay, RETRY_PRESET_LABELS, SCHEME_DESCRIPTIONS, SCHEME_LABELS } from "./format";
import {
  endpointFormResolver,
  filterOf,
  parseDelays,
  presetFields,
  schemeOptions,
  toFieldErrors,
  toInput,
  urlWarnings,
  type EndpointFormValues,
} from "../form-model";
import { ConditionsEditor } from "./conditions-editor";
import { MatchPreview } from "./match-preview";
import type { CatalogEventType } from "../types";

type Props = {
  mode: "create" | "edit";
  catalog: CatalogEventType[];
  defaultValues: EndpointFormValues;
  /** The endpoint being edited; none when creating. */
  endpointId?: string;
  cancelHref: string;
};

function Section({ title, description, children, id }: { title: string; description?: string; children: React.ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="grid grid-cols-1 gap-x-8 gap-y-4 border-t border-zinc-200 py-8 first:border-t-0 first:pt-0 lg:grid-cols-[14rem_minmax(0,1fr)]">
      <div>
        <h2 id={id} className="text-sm font-semibold text-zinc-900">
          {title}
        </h2>
        {description && <p className="mt-1 text-sm text-zinc-500">{description}</p>}
      </div>
      <div className="min-w-0 space-y-4">{children}</div>
    </section>
  );
}

function message(error: FieldError | undefined) {
  return error?.message;
}

export function EndpointForm({ mode, catalog, defaultValues, endpointId, cancelHref }: Props) {
  const ops = useEndpointOps();
  const router = useRouter();
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);
  const [presetNote, setPresetNote] = useState<string | null>(null);
  const form = useForm<EndpointFormValues>({ defaultValues, resolver: endpointFormResolver, mode: "onTouched" });
  const { register, control, handleSubmit, setValue, setError, formState } = form;
  const { errors, isSubmitting } = formState;
  const eventFilters = useFieldArray({ control, name: "eventFilters" });
  const headers = useFieldArray({ control, name: "headers" });
  const values = useWatch({ control }) as EndpointFormValues;

  const warnings = urlWarnings(values.url ?? "", { portal: ops.portal }).filter((warning) => !(values.requireHttps && warning.message.startsWith("This URL uses http://")));
  const liveFilter = useMemo<Filter>(
    () => filterOf({ accounts: values.accounts ?? [], rules: values.rules ?? [], eventFilters: values.eventFilters ?? [] }, { liveOnly: true }),
    [values.accounts, values.rules, values.eventFilters],
  );
  // Per-event filters are for the endpoint's events: the selected ones, or the whole catalog with "All events".
  const eventChoices = values.allEvents || !values.eventTypes?.length ? catalog.map((type) => type.name) : values.eventTypes;
  const httpRefused = values.requireHttps && /^\s*http:\/\//i.test(values.url ?? "");
  const options = schemeOptions(values.scheme);
  const customDelays = values.retryPreset === "custom" ? parseDelays(values.delays ?? "") : null;
  const parsedMaxDelay = values.maxDelay?.trim() ? parseDelays(values.maxDelay) : null;
  const maxDelayMs = parsedMaxDelay?.ok && parsedMaxDelay.delays.length === 1 ? parsedMaxDelay.delays[0] : undefined;
  const effectiveMaxDelay = maxDelayMs ?? policyMaxDelay({ preset: values.retryPreset });
  const deliveryRules = [
    values.jitter ? "Each delay varies by ±20 %." : "Delays are exact (no jitter).",
    values.retryPreset === "none"
      ? null
      : effectiveMaxDelay
        ? `A 429/503 Retry-After can lengthen a wait up to the maximum delay (${formatDelay(effectiveMaxDelay)}), never beyond.`
        : "A 429/503 Retry-After can lengthen a wait (up to 24 h).",
    values.disableOnGone ? "410 Gone disables the endpoint at once." : "410 Gone counts as an ordinary failure.",
  ].filter(Boolean).join(" ");
  const scheduleText =
    values.retryPreset === "custom"
      ? customDelays?.ok
        ? describeRetryPolicy({ preset: "custom", delaysMs: customDelays.delays })
        : "Write the delays between attempts, e.g. 10s, 1m, 10m, 1h."
      : describeRetryPolicy({
          preset: values.retryPreset,
          ...(values.retryPreset === "exponential" && Number(values.maxAttempts) >= 1 ? { maxAttempts: Number(values.maxAttempts) } : {}),
          ...(maxDelayMs ? { maxDelayMs } : {}),
        });

  const save = useSaveEndpoint(endpointId);
  const submit = handleSubmit(async (formValues) => {
    let saved: { id: string; secret?: string };
    try {
      saved = await save.mutateAsync(toInput(formValues));
    } catch (error) {
      placeServerErrors(error, formValues);
      return;
    }
    if (mode === "create" && saved.secret) {
      setCreated({ id: saved.id, secret: saved.secret });
      return;
    }
    toast.success("Endpoint saved");
    router.push(ops.href(`/endpoints/${saved.id}`));
    router.refresh();
  });

  /** The server's refusal on the fields it names (zod issue paths), else above the form. */
  const placeServerErrors = (error: unknown, formValues: EndpointFormValues) => {
    const { message, issues: details } = readError(error, "Could not save the endpoint");
    const fieldErrors = toFieldErrors(
      details.filter((detail) => detail.message).map((detail) => ({ path: detail.path ?? "", message: detail.message! })),
      formValues,
    );
    let placed = 0;
    const place = (node: unknown, prefix: string) => {
      if (!node || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      if (typeof record.message === "string") {
        setError(prefix as never, { type: "server", message: record.message }, { shouldFocus: placed === 0 });
        placed += 1;
        return;
      }
      for (const [key, child] of Object.entries(record)) place(child, prefix ? `${prefix}.${key}` : key);
    };
    place(fieldErrors, "");
    if (placed === 0 || details.length === 0) setError("root.server", { type: "server", message });
    toast.error(message);
  };

  const continueToEndpoint = () => {
    if (!created) return;
    router.push(ops.href(`/endpoints/${created.id}`));
    router.refresh();
  };

  const errorCount = Object.keys(errors).filter((key) => key !== "root").length;

  return (
    <>
      <form onSubmit={submit} noValidate aria-label={mode === "create" ? "New endpoint" : "Edit endpoint"} >
        {errors.root?.server && (
          <div className="mb-6">
            <Alert tone="error">{errors.root.server.message}</Alert>
          </div>
        )}
        {formState.isSubmitted && errorCount > 0 && !errors.root?.server && (
          <div className="mb-6">
            <Alert tone="error">
              {errorCount === 1 ? "One field needs attention" : `${errorCount} fields need attention`} — see the messages below.
            </Alert>
          </div>
        )}

        <div hidden={ops.portal} className="mb-8 flex flex-wrap items-end gap-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-zinc-200">
          <div className="min-w-64 flex-1">
            <Label htmlFor="product-preset" hint="fills signing, headers, retries, timeout and auto-disable">
              Start from a product preset
            </Label>
            <Select
              id="product-preset"
              defaultValue=""
              onChange={(event) => {
                const preset = eventTypePresets.find((candidate) => candidate.id === event.target.value);
                if (!preset) return;
                for (const [key, value] of Object.entries(presetFields(preset))) {
                  setValue(key as keyof EndpointFormValues, value as never, { shouldDirty: true, shouldValidate: formState.isSubmitted });
                }
                const { signature, retryPolicy, timeoutMs, requireHttps } = preset.endpoint;
                const header = signatureHeaderNames(signature)[0];
                setPresetNote(
                  `Now set for ${preset.name} receivers: ${SCHEME_LABELS[signature.scheme]}${header && signature.scheme !== "standard" ? ` in ${header}` : ""}, ${RETRY_PRESET_LABELS[retryPolicy.preset].toLowerCase()} retries, ${timeoutMs / 1000} s timeout${requireHttps ? ", HTTPS only" : ""}; only the headers its document lists.`,
                );
              }}
            >
              <option value="">Choose a product…</option>
              {eventTypePresets.map((preset) => (
                <option key={preset.id} value={preset.id}>
                  {preset.name} (seed {preset.seed.slice(0, 3)})
                </option>
              ))}
            </Select>
          </div>
          {presetNote && (
            <p role="status" className="basis-full text-sm text-emerald-700">
              {presetNote}
            </p>
          )}
        </div>

        <Section id="section-destination" title="Destination" description="Where deliveries go, and how people in your team will recognise it.">
          <div>
            <Label htmlFor="title">Title</Label>
            <Input id="title" {...register("title")} placeholder="Plomberie Martin — CRM" aria-invalid={!!errors.title || undefined} aria-describedby={errors.title ? "title-error" : undefined} />
            <ErrorText id="title-error">{message(errors.title)}</ErrorText>
          </div>
          <div>
            <Label htmlFor="url">URL</Label>
            <Input
              id="url"
              type="url"
              inputMode="url"
              {...register("url")}
              placeholder="https://example.com/webhooks"
              className="font-mono"
              aria-invalid={!!errors.url || undefined}
              aria-describedby={[errors.url ? "url-error" : "", warnings.length ? "url-warnings" : ""].filter(Boolean).join(" ") || undefined}
            />
            <ErrorText id="url-error">{message(errors.url)}</ErrorText>
            {httpRefused && !errors.url && (
              <p className="mt-1 text-sm text-red-600">This endpoint requires HTTPS: an http:// URL will be refused when you save.</p>
            )}
            {warnings.length > 0 && (
              <ul id="url-warnings" className="mt-2 space-y-1.5">
                {warnings.map((warning) => (
                  <li key={warning.message} className="flex items-start gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
                    <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
                    {warning.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
          {!ops.portal && (
            <div>
              <Label htmlFor="account" hint="optional">
                Owner account
              </Label>
              <Input id="account" {...register("account")} placeholder="acc_1" className="font-mono" aria-describedby="account-hint" aria-invalid={!!errors.account || undefined} />
              <p id="account-hint" className="mt-1 text-xs text-zinc-500">
                Set it and the endpoint belongs to that account: it receives only that account&apos;s messages, and the account manages it in the portal. Empty: workspace-wide.
              </p>
              <ErrorText>{message(errors.account)}</ErrorText>
            </div>
          )}
          <div>
            <Label htmlFor="description" hint="optional">
              Description
            </Label>
            <Textarea id="description" rows={2} {...register("description")} />
            <ErrorText>{message(errors.description)}</ErrorText>
          </div>
          <Controller
            control={control}
            name="enabled"
            render={({ field }) => (
              <Switch
                id="enabled"
                checked={field.value}
                onChange={field.onChange}
                label="Enabled"
                description="A disabled endpoint keeps its deliveries paused; nothing is lost, and recovery sends them later."
              />
            )}
          />
        </Section>

        <Section id="section-events" title="Events" description="Which event types this endpoint receives.">
          <EventPicker
            catalog={catalog}
            allEvents={values.allEvents}
            onAllEventsChange={(all) => setValue("allEvents", all, { shouldDirty: true, shouldValidate: formState.isSubmitted })}
            selected={values.eventTypes ?? []}
            onChange={(next) => setValue("eventTypes", next, { shouldDirty: true, shouldValidate: formState.isSubmitted })}
            error={message(errors.eventTypes as FieldError | undefined)}
          />
        </Section>

        <Section
          id="section-filters"
          title="Filters"
          description="Deliver only some of those events. All conditions must hold: the endpoint's apply to every event, an event's own apply on top."
        >
          <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
            <div className="min-w-0 space-y-6">
              <ConditionsEditor showAccounts={!ops.portal} control={control} register={register} prefix="" rules={values.rules ?? []} errors={{ accounts: errors.accounts as FieldError | undefined, rules: errors.rules as never }} />
              <p className="-mt-4 text-xs text-zinc-500">
                Values are read as JSON: <code>30</code> is a number, <code>true</code> a boolean, <code>&quot;30&quot;</code> the text 30; anything else is text.
              </p>

              <fieldset className="space-y-3">
                <legend className="mb-1.5 block text-sm font-medium text-zinc-800">
                  Customize an event <span className="font-normal text-zinc-500">optional</span>
                </legend>
                <p className="text-xs text-zinc-500">
                  Conditions for one event type only, e.g. calls of one account lasting 30 s or more, while other events arrive unfiltered.
                </p>
                {eventFilters.fields.map((row, index) => {
                  const rowValues = values.eventFilters?.[index];
                  const rowErrors = errors.eventFilters?.[index];
                  const eventType = rowValues?.eventType ?? "";
                  return (
                    <div key={row.id} className="space-y-4 rounded-lg bg-white p-3 ring-1 ring-zinc-200">
                      <div className="flex items-end gap-2">
                        <div className="min-w-0 flex-1">
                          <Label htmlFor={`event-filter-${index}`}>Filter {index + 1} applies to</Label>
                          <Select id={`event-filter-${index}`} {...register(`eventFilters.${index}.eventType`)} aria-invalid={!!rowErrors?.eventType || undefined}>
                            <option value="">Choose an event…</option>
                            {eventChoices.map((name) => (
                              <option key={name} value={name}>
                                {name}
                              </option>
                            ))}
                          </Select>
                        </div>
                        <Button type="button" variant="ghost" size="sm" onClick={() => eventFilters.remove(index)} aria-label={`Remove filter ${index + 1}`}>
                          <Trash2 className="size-4" aria-hidden />
                        </Button>
                      </div>
                      <ErrorText>{rowErrors?.eventType?.message}</ErrorText>
                      <ConditionsEditor
                        showAccounts={!ops.portal}
                        control={control}
                        register={register}
                        prefix={`eventFilters.${index}.`}
                        labelPrefix={eventType || `Filter ${index + 1}`}
                        rules={rowValues?.rules ?? []}
                        errors={{ accounts: rowErrors?.accounts as FieldError | undefined, rules: rowErrors?.rules as never }}
                      />
                    </div>
                  );
                })}
                <ErrorText>{errors.eventFilters?.root?.message}</ErrorText>
                <Button
                  type="button"
                  variant="secondary"
                  size="sm"
                  onClick={() => eventFilters.append({ eventType: eventChoices.find((name) => !values.eventFilters?.some((row) => row.eventType === name)) ?? "", accounts: [], rules: [] })}
                >
                  <Plus className="size-3.5" aria-hidden />
                  Add a filter for one event
                </Button>
              </fieldset>
            </div>
            <MatchPreview catalog={catalog} eventTypes={values.allEvents ? [] : (values.eventTypes ?? [])} filter={liveFilter} />
          </div>
        </Section>

        {!ops.portal && (<>
        <Section id="section-signing" title="Signing" description="How the receiver proves a request came from you. Match what its code verifies.">
          <div>
            <Label htmlFor="scheme">Scheme</Label>
            <Select id="scheme" {...register("scheme")}>
              {SIGNATURE_SCHEMES.map((scheme) => (
                <option key={scheme} value={scheme}>
                  {SCHEME_LABELS[scheme]}
                </option>
              ))}
            </Select>
            <p className="mt-1 text-xs text-zinc-500">{SCHEME_DESCRIPTIONS[values.scheme]}</p>
            <ErrorText>{message(errors.scheme)}</ErrorText>
          </div>
          {values.scheme === "body-secret" && (
            <Alert tone="info">
              With this scheme the endpoint&apos;s <strong>secret itself is added to every request body</strong> as a top-level field, so the body the
              receiver gets differs from the published one. Use it only for receivers that check a shared secret in the body, over https.
            </Alert>
          )}
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            {options.includes("header") && (
              <div>
                <Label htmlFor="header" hint="optional">
                  Signature header
                </Label>
                <Input
                  id="header"
                  {...register("header")}
                  className="font-mono"
                  placeholder={values.scheme === "stripe" ? "Stripe-Signature" : values.scheme === "hmac-sha256" ? `${values.headerPrefix || "X-Hookline"}-Signature` : "X-Hookline-Signature"}
                  aria-invalid={!!errors.header || undefined}
                />
                <ErrorText>{message(errors.header)}</ErrorText>
              </div>
            )}
            {options.includes("headerPrefix") && (
              <div>
                <Label htmlFor="headerPrefix" hint="optional">
                  Header prefix
                </Label>
                <Input id="headerPrefix" {...register("headerPrefix")} className="font-mono" placeholder="X-Hookline" aria-invalid={!!errors.headerPrefix || undefined} />
                <p className="mt-1 text-xs text-zinc-500">Sends &lt;prefix&gt;-Signature, -Event and -Timestamp.</p>
                <ErrorText>{message(errors.headerPrefix)}</ErrorText>
              </div>
            )}
            {options.includes("field") && (
              <div>
                <Label htmlFor="field" hint="optional">
                  Body field
                </Label>
                <Input id="field" {...register("field")} className="font-mono" placeholder="secret" aria-invalid={!!errors.field || undefined} />
                <ErrorText>{message(errors.field)}</ErrorText>
              </div>
            )}
            <div>
              <Label htmlFor="userAgent" hint="optional">
                User agent
              </Label>
              <Input id="userAgent" {...register("userAgent")} placeholder={values.hooklineHeaders ? "Hookline/0.1.0" : "none"} aria-invalid={!!errors.userAgent || undefined} />
              <ErrorText>{message(errors.userAgent)}</ErrorText>
            </div>
            {TIMESTAMPED_SCHEMES.has(values.scheme) && (
              <div>
                <Label htmlFor="timestampSource">Timestamp</Label>
                <Select id="timestampSource" {...register("timestampSource")} aria-describedby="timestamp-hint">
                  <option value="attempt">Attempt time (each try its own)</option>
                  <option value="event">Event time (the message&apos;s creation, same on every retry)</option>
                </Select>
                <p id="timestamp-hint" className="mt-1 text-xs text-zinc-500">
                  {values.timestampSource === "event"
                    ? "For receivers that read the timestamp as “when the event occurred”. Libraries with a replay window (Standard Webhooks, Stripe) reject old event times on late retries."
                    : "What replay windows expect: receivers can refuse requests signed long ago."}
                </p>
                <ErrorText>{message(errors.timestampSource)}</ErrorText>
              </div>
            )}
          </div>
          <Controller
            control={control}
            name="hooklineHeaders"
            render={({ field }) => (
              <Switch
                id="hooklineHeaders"
                checked={field.value}
                onChange={field.onChange}
                label="Send Hookline's own headers"
                description="x-hookline-event-type, x-hookline-attempt and, when no user agent is set, Hookline/<version>. Off: requests carry only the content type, what the signing method adds and your custom headers — exactly what a product's document lists."
              />
            )}
          />
        </Section>

        <Section id="section-delivery" title="Delivery" description="Retries, timeout and extra headers.">
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-[minmax(0,1fr)_10rem]">
            <div>
              <Label htmlFor="retryPreset">Retry policy</Label>
              <Select
                id="retryPreset"
                {...register("retryPreset", {
                  // Jitter follows the policy's default (off for fixed) until someone sets it.
                  onChange: (event) => setValue("jitter", policyJitters({ preset: event.target.value as EndpointFormValues["retryPreset"] }), { shouldDirty: true }),
                })}
              >
                {RETRY_PRESETS.map((preset) => (
                  <option key={preset} value={preset}>
                    {RETRY_PRESET_LABELS[preset]}
                    {preset !== "custom" && preset !== "none" ? ` — ${retrySchedule({ preset }).slice(0, 3).map(formatDelay).join(", ")}…` : ""}
                  </option>
                ))}
              </Select>
            </div>
            <div>
              <Label htmlFor="timeoutSeconds">Timeout</Label>
              <div className="relative">
                <Input
                  id="timeoutSeconds"
                  type="number"
                  min={1}
                  max={30}
                  step={1}
                  {...register("timeoutSeconds", { valueAsNumber: true })}
                  className="pr-8"
                  aria-invalid={!!errors.timeoutSeconds || undefined}
                  aria-describedby="timeout-hint"
                />
                <span className="pointer-events-none absolute top-2 right-3 text-sm text-zinc-500">s</span>
              </div>
              {errors.timeoutSeconds ? (
                <ErrorText id="timeout-hint">The timeout is between 1 and 30 seconds</ErrorText>
              ) : (
                <p id="timeout-hint" className="mt-1 text-xs text-zinc-500">1–30 seconds</p>
              )}
            </div>
          </div>
          {values.retryPreset === "custom" && (
            <div>
              <Label htmlFor="delays">Delays between attempts</Label>
              <Input id="delays" {...register("delays")} className="font-mono" placeholder="10s, 1m, 10m, 1h" aria-invalid={!!errors.delays || undefined} aria-describedby="delays-hint" />
              <p id="delays-hint" className="mt-1 text-xs text-zinc-500">
                Comma-separated; units s, m, h, d (a bare number is seconds). Up to 20 delays, each 1 s to 7 days.
              </p>
              <ErrorText>{message(errors.delays)}</ErrorText>
            </div>
          )}
          {values.retryPreset === "exponential" && (
            <div className="max-w-48">
              <Label htmlFor="maxAttempts" hint="optional">
                Max attempts
              </Label>
              <Input id="maxAttempts" type="number" min={1} max={30} {...register("maxAttempts")} placeholder="8" aria-invalid={!!errors.maxAttempts || undefined} />
              <ErrorText>{message(errors.maxAttempts)}</ErrorText>
            </div>
          )}
          {values.retryPreset !== "none" && (
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <div>
                <Label htmlFor="maxDelay" hint="optional">
                  Maximum delay
                </Label>
                <Input
                  id="maxDelay"
                  {...register("maxDelay")}
                  className="font-mono"
                  placeholder={values.retryPreset === "exponential" ? "30s" : "none"}
                  aria-invalid={!!errors.maxDelay || undefined}
                  aria-describedby="max-delay-hint"
                />
                <p id="max-delay-hint" className="mt-1 text-xs text-zinc-500">
                  The longest wait between two attempts. It also caps Retry-After: a receiver answering 429 or 503 with a longer Retry-After is retried after this maximum.
                </p>
                <ErrorText>{message(errors.maxDelay)}</ErrorText>
              </div>
              <Controller
                control={control}
                name="jitter"
                render={({ field }) => (
                  <Switch
                    id="jitter"
                    checked={field.value}
                    onChange={field.onChange}
                    label="Jitter (±20 %)"
                    description="Spreads retries of many deliveries apart. Off for the fixed policy, whose schedule is exact to the millisecond."
                  />
                )}
              />
            </div>
          )}
          <p className="rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-600 ring-1 ring-zinc-200 ring-inset" aria-live="polite">
            {scheduleText} {deliveryRules}
          </p>

          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Controller
              control={control}
              name="requireHttps"
              render={({ field }) => (
                <Switch
                  id="requireHttps"
                  checked={field.value}
                  onChange={field.onChange}
                  label="Require HTTPS"
                  description="Refuses http:// addresses when saving and when sending; certificates are always verified (self-signed ones are refused)."
                />
              )}
            />
            <Controller
              control={control}
              name="disableOnGone"
              render={({ field }) => (
                <Switch
                  id="disableOnGone"
                  checked={field.value}
                  onChange={field.onChange}
                  label="410 Gone disables at once"
                  description="Off: a 410 is one more failure, retried by the policy and counted toward auto-disable."
                />
              )}
            />
            <div>
              <Label htmlFor="failureThreshold">Auto-disable after</Label>
              <div className="relative max-w-48">
                <Input
                  id="failureThreshold"
                  type="number"
                  min={1}
                  max={1000}
                  {...register("failureThreshold")}
                  className="pr-36"
                  aria-invalid={!!errors.failureThreshold || undefined}
                  aria-describedby="threshold-hint"
                />
                <span className="pointer-events-none absolute top-2 right-3 text-sm text-zinc-500">failed deliveries</span>
              </div>
              <p id="threshold-hint" className="mt-1 text-xs text-zinc-500">
                In a row (each after its retries). The endpoint is then paused: new deliveries wait until it is enabled again.
              </p>
              <ErrorText>{message(errors.failureThreshold)}</ErrorText>
            </div>
          </div>

          <fieldset>
            <legend className="mb-1.5 block text-sm font-medium text-zinc-800">
              Custom headers <span className="font-normal text-zinc-500">optional</span>
            </legend>
            <p className="mb-2 text-xs text-zinc-500">Secret values are stored encrypted, masked for viewers and redacted in stored attempts; untick for values anyone may read.</p>
            <div className="space-y-2">
              {headers.fields.map((row, index) => {
                const rowErrors = errors.headers?.[index];
                const credential = looksLikeCredential(values.headers[index]?.name.trim() ?? "");
                return (
                  <div key={row.id}>
                    <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)_auto_auto] items-center gap-2">
                      <Input aria-label={`Header ${index + 1} name`} placeholder="Authorization" className="font-mono" {...register(`headers.${index}.name`)} aria-invalid={!!rowErrors?.name || undefined} />
                      <Input aria-label={`Header ${index + 1} value`} placeholder="Bearer …" className="font-mono" {...register(`headers.${index}.value`)} aria-invalid={!!rowErrors?.value || undefined} />
                      <label
                        className="flex items-center gap-1.5 text-xs text-zinc-700"
                        title={credential ? "Always secret: the name looks like a credential" : "Secret: masked for viewers and in stored attempts"}
                      >
                        {credential ? (
                          <input type="checkbox" checked disabled className="size-4 rounded border-zinc-300 text-brand-600" aria-label={`Header ${index + 1} is secret`} />
                        ) : (
                          <input type="checkbox" {...register(`headers.${index}.secret`)} className="size-4 rounded border-zinc-300 text-brand-600" aria-label={`Header ${index + 1} is secret`} />
                        )}
                        Secret
                      </label>
                      <Button type="button" variant="ghost" size="sm" onClick={() => headers.remove(index)} aria-label={`Remove header ${index + 1}`}>
                        <Trash2 className="size-4" aria-hidden />
                      </Button>
                    </div>
                    <ErrorText>{rowErrors?.name?.message ?? rowErrors?.value?.message}</ErrorText>
                  </div>
                );
              })}
            </div>
            <ErrorText>{errors.headers?.root?.message}</ErrorText>
            <Button type="button" variant="secondary" size="sm" className="mt-2" onClick={() => headers.append({ name: "", value: "", secret: true })}>
              <Plus className="size-3.5" aria-hidden />
              Add header
            </Button>
          </fieldset>
        </Section>
        </>)}

        {/* Sticky, not fixed: always reachable while scrolling, and it ends where the form ends. */}
        <div className="sticky bottom-0 z-10 -mx-4 border-t border-zinc-200 bg-zinc-50/95 backdrop-blur sm:-mx-8">
          <div className="flex items-center justify-end gap-2 px-4 py-3 sm:px-8">
            <span className={cn("mr-auto text-sm text-zinc-500", !formState.isDirty && "invisible")}>Unsaved changes</span>
            <Link href={cancelHref} className={buttonClasses("secondary")}>
              Cancel
            </Link>
            <Button type="submit" pending={isSubmitting}>
              {mode === "create" ? "Create endpoint" : "Save changes"}
            </Button>
          </div>
        </div>
      </form>

      <Dialog open={created !== null} onClose={continueToEndpoint} title="Endpoint created">
        {created && (
          <div className="space-y-4">
            <p className="text-sm text-zinc-600">
              This is the endpoint&apos;s signing secret. Give it to the receiver so it can verify requests. You can reveal it again later from the
              endpoint page (admins only).
            </p>
            <div className="flex items-center gap-2">
              <code aria-label="Signing secret" className="min-w-0 flex-1 rounded-md break-all bg-zinc-100 px-3 py-2 font-mono text-sm ring-1 ring-zinc-200">
                {created.secret}
              </code>
              <CopyButton value={created.secret} />
            </div>
            <div className="flex justify-end">
              <Button type="button" onClick={continueToEndpoint}>
                Continue to the endpoint
              </Button>
            </div>
          </div>
        )}
      </Dialog>
    </>
  );
}
