"use client";

import { useFormContext, useWatch, type FieldError } from "react-hook-form";
import type { EndpointFormValues } from "../../form-model";
import type { CatalogEventType } from "../../types";
import { EventPicker } from "../event-picker";
import { message, Section } from "./form-section";

/** Which event types the endpoint receives: all, or a selection from the catalog. */
export function EventsSection({ catalog }: { catalog: CatalogEventType[] }) {
  const { control, setValue, formState } = useFormContext<EndpointFormValues>();
  const { errors } = formState;
  const values = { allEvents: useWatch({ control, name: "allEvents" }), eventTypes: useWatch({ control, name: "eventTypes" }) };
  return (
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
  );
}
