"use client";

import { Plus, Trash2 } from "lucide-react";
import { useMemo } from "react";
import { useFieldArray, useFormContext, useWatch, type FieldError } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { FieldError as ErrorText, Label, Select } from "@/components/ui/inputs";
import type { Filter } from "@/lib/delivery/schemas";
import { filterOf, type EndpointFormValues } from "../../form-model";
import type { CatalogEventType } from "../../types";
import { useEndpointOps } from "../../api/ops";
import { ConditionsEditor } from "../conditions-editor";
import { MatchPreview } from "../match-preview";
import { Section } from "./form-section";

/** The endpoint's conditions, per-event conditions on top, and the live preview of what they let through. */
export function FiltersSection({ catalog }: { catalog: CatalogEventType[] }) {
  const ops = useEndpointOps();
  const { register, control, formState } = useFormContext<EndpointFormValues>();
  const { errors } = formState;
  const eventFilters = useFieldArray({ control, name: "eventFilters" });
  const values = useWatch({ control }) as EndpointFormValues;
  const liveFilter = useMemo<Filter>(
    () => filterOf({ accounts: values.accounts ?? [], rules: values.rules ?? [], eventFilters: values.eventFilters ?? [] }, { liveOnly: true }),
    [values.accounts, values.rules, values.eventFilters],
  );
  // Per-event filters are for the endpoint's events: the selected ones, or the whole catalog with "All events".
  const eventChoices = values.allEvents || !values.eventTypes?.length ? catalog.map((type) => type.name) : values.eventTypes;
  return (
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
  );
}
