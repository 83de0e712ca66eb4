"use client";

import { AlertTriangle } from "lucide-react";
import { useFormContext, useWatch } from "react-hook-form";
import { FormField } from "@/components/ui/field";
import { FieldError as ErrorText, Input, Label, Textarea } from "@/components/ui/inputs";
import { urlWarnings, type EndpointFormValues } from "../../form-model";
import { useEndpointOps } from "../../api/ops";
import { message, Section, SwitchField } from "./form-section";

/** Title, URL (with its warnings), owner account, description, enabled. */
export function DestinationSection() {
  const ops = useEndpointOps();
  const { register, control, formState } = useFormContext<EndpointFormValues>();
  const { errors } = formState;
  const [url, requireHttps] = useWatch({ control, name: ["url", "requireHttps"] });
  const warnings = urlWarnings(url ?? "", { portal: ops.portal }).filter((warning) => !(requireHttps && warning.message.startsWith("This URL uses http://")));
  const httpRefused = requireHttps && /^\s*http:\/\//i.test(url ?? "");
  return (
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
        <FormField label="Owner account" labelHint="optional" hint={<>Set it and the endpoint belongs to that account: it receives only that account&apos;s messages, and the account manages it in the portal. Empty: workspace-wide.</>} error={message(errors.account)}>
          <Input id="account" {...register("account")} placeholder="acc_1" className="font-mono" />
        </FormField>
      )}
      <div>
        <Label htmlFor="description" hint="optional">
          Description
        </Label>
        <Textarea id="description" rows={2} {...register("description")} />
        <ErrorText>{message(errors.description)}</ErrorText>
      </div>
      <SwitchField name="enabled" label="Enabled" description="A disabled endpoint keeps its deliveries paused; nothing is lost, and recovery sends them later." />
    </Section>
  );
}
