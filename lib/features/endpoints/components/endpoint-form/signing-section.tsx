"use client";

import { useFormContext, useWatch } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { FormField } from "@/components/ui/field";
import { FieldError as ErrorText, Input, Label, Select } from "@/components/ui/inputs";
import { SIGNATURE_SCHEMES, TIMESTAMPED_SCHEMES } from "@/lib/delivery/schemas";
import { schemeOptions, type EndpointFormValues } from "../../form-model";
import { SCHEME_DESCRIPTIONS, SCHEME_LABELS } from "../format";
import { message, Section, SwitchField } from "./form-section";

/** How requests are signed: scheme, its header or field, user agent, timestamp, Hookline's own headers. */
export function SigningSection() {
  const { register, control, formState } = useFormContext<EndpointFormValues>();
  const { errors } = formState;
  const values = useWatch({ control }) as EndpointFormValues;
  const options = schemeOptions(values.scheme);
  return (
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
          <FormField label="Signature header" labelHint="optional" error={message(errors.header)}>
            <Input
              id="header"
              {...register("header")}
              className="font-mono"
              placeholder={values.scheme === "stripe" ? "Stripe-Signature" : values.scheme === "hmac-sha256" ? `${values.headerPrefix || "X-Hookline"}-Signature` : "X-Hookline-Signature"}
            />
          </FormField>
        )}
        {options.includes("headerPrefix") && (
          <FormField label="Header prefix" labelHint="optional" hint={<>Sends &lt;prefix&gt;-Signature, -Event and -Timestamp.</>} error={message(errors.headerPrefix)}>
            <Input id="headerPrefix" {...register("headerPrefix")} className="font-mono" placeholder="X-Hookline" />
          </FormField>
        )}
        {options.includes("field") && (
          <FormField label="Body field" labelHint="optional" error={message(errors.field)}>
            <Input id="field" {...register("field")} className="font-mono" placeholder="secret" />
          </FormField>
        )}
        <FormField label="User agent" labelHint="optional" error={message(errors.userAgent)}>
          <Input id="userAgent" {...register("userAgent")} placeholder={values.hooklineHeaders ? "Hookline/0.1.0" : "none"} />
        </FormField>
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
      <SwitchField name="hooklineHeaders" label="Send Hookline's own headers" description="x-hookline-event-type, x-hookline-attempt and, when no user agent is set, Hookline/<version>. Off: requests carry only the content type, what the signing method adds and your custom headers — exactly what a product's document lists." />
    </Section>
  );
}
