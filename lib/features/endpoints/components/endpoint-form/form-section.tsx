"use client";

import type { ReactNode } from "react";
import { Controller, useFormContext, type FieldError, type FieldPathByValue } from "react-hook-form";
import { Switch } from "@/components/ui/switch";
import type { EndpointFormValues } from "../../form-model";

/** One section of the endpoint form: its title and description on the left (above on a phone), its fields on the right. */
export function Section({ title, description, children, id }: { title: string; description?: string; children: ReactNode; id: string }) {
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

export function message(error: FieldError | undefined) {
  return error?.message;
}

/** One on/off setting of the form, as a labelled switch. */
export function SwitchField({ name, label, description }: { name: FieldPathByValue<EndpointFormValues, boolean>; label: string; description: string }) {
  const { control } = useFormContext<EndpointFormValues>();
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => <Switch id={name} checked={field.value} onChange={field.onChange} label={label} description={description} />}
    />
  );
}
