"use client";

import { Plus, Trash2 } from "lucide-react";
import { useFieldArray, useFormContext, useWatch } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/field";
import { FieldError as ErrorText, Input, InputWithSuffix, Label, Select } from "@/components/ui/inputs";
import { policyJitters, policyMaxDelay, retrySchedule } from "@/lib/delivery/policy";
import { looksLikeCredential, RETRY_PRESETS } from "@/lib/delivery/schemas";
import { parseDelays, type EndpointFormValues } from "../../form-model";
import { describeRetryPolicy, formatDelay, RETRY_PRESET_LABELS } from "../format";
import { message, Section, SwitchField } from "./form-section";

/** Retries (policy, delays, maximum delay, jitter), timeout, HTTPS, auto-disable and custom headers. */
export function DeliverySection() {
  const { register, control, setValue, formState } = useFormContext<EndpointFormValues>();
  const { errors } = formState;
  const headers = useFieldArray({ control, name: "headers" });
  const values = useWatch({ control }) as EndpointFormValues;
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
  return (
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
          <InputWithSuffix
            suffix="s"
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
          {errors.timeoutSeconds ? (
            <ErrorText id="timeout-hint">The timeout is between 1 and 30 seconds</ErrorText>
          ) : (
            <p id="timeout-hint" className="mt-1 text-xs text-zinc-500">1–30 seconds</p>
          )}
        </div>
      </div>
      {values.retryPreset === "custom" && (
        <FormField label="Delays between attempts" hint="Comma-separated; units s, m, h, d (a bare number is seconds). Up to 20 delays, each 1 s to 7 days." error={message(errors.delays)}>
          <Input id="delays" {...register("delays")} className="font-mono" placeholder="10s, 1m, 10m, 1h" />
        </FormField>
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
          <FormField label="Maximum delay" labelHint="optional" hint="The longest wait between two attempts. It also caps Retry-After: a receiver answering 429 or 503 with a longer Retry-After is retried after this maximum." error={message(errors.maxDelay)}>
            <Input
              id="maxDelay"
              {...register("maxDelay")}
              className="font-mono"
              placeholder={values.retryPreset === "exponential" ? "30s" : "none"}
            />
          </FormField>
          <SwitchField name="jitter" label="Jitter (±20 %)" description="Spreads retries of many deliveries apart. Off for the fixed policy, whose schedule is exact to the millisecond." />
        </div>
      )}
      <p className="rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-600 ring-1 ring-zinc-200 ring-inset" aria-live="polite">
        {scheduleText} {deliveryRules}
      </p>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <SwitchField name="requireHttps" label="Require HTTPS" description="Refuses http:// addresses when saving and when sending; certificates are always verified (self-signed ones are refused)." />
        <SwitchField name="disableOnGone" label="410 Gone disables at once" description="Off: a 410 is one more failure, retried by the policy and counted toward auto-disable." />
        <div>
          <Label htmlFor="failureThreshold">Auto-disable after</Label>
          <InputWithSuffix
            suffix="failed deliveries"
            wrapperClassName="max-w-48"
            id="failureThreshold"
            type="number"
            min={1}
            max={1000}
            {...register("failureThreshold")}
            className="pr-36"
            aria-invalid={!!errors.failureThreshold || undefined}
            aria-describedby="threshold-hint"
          />
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
  );
}
