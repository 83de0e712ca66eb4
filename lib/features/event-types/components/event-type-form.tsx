"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Dialog } from "@/components/ui/dialog";
import { FormActions, FormField } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/inputs";
import { readError } from "@/lib/api-client";
import type { EventTypeValues } from "../api/event-types";
import { eventTypeFormSchema, parseJsonText, toJsonText, type EventTypeFormValues } from "../form-schema";
import type { EventType } from "../types";

/** Saves the values; resolves to the saved event type or throws the server's `ApiError`. */
export type EventTypeSubmit = (values: EventTypeValues) => Promise<EventType>;

type Props = { open: boolean; onClose: () => void; initial: EventType | null; submit: EventTypeSubmit; onSaved: (eventType: EventType) => void };

/** Create (initial = null) or edit; the service's verdicts (bad schema, example that does not fit) land on their fields. */
export function EventTypeFormDialog({ open, onClose, initial, submit, onSaved }: Props) {
  return (
    <Dialog open={open} onClose={onClose} title={initial ? `Edit ${initial.name}` : "Create an event type"} wide>
      {open && <EventTypeForm key={initial?.name ?? "new"} initial={initial} submit={submit} onSaved={onSaved} onCancel={onClose} />}
    </Dialog>
  );
}

function EventTypeForm({ initial, submit, onSaved, onCancel }: Omit<Props, "open" | "onClose"> & { onCancel: () => void }) {
  const form = useForm<EventTypeFormValues>({
    resolver: zodResolver(eventTypeFormSchema),
    defaultValues: {
      name: initial?.name ?? "",
      description: initial?.description ?? "",
      exampleText: toJsonText(initial?.examplePayload),
      schemaText: toJsonText(initial?.schema),
    },
  });
  const { register, handleSubmit, setError, formState } = form;
  const { errors, isSubmitting } = formState;

  const onSubmit = handleSubmit(async (values) => {
    let saved: EventType;
    try {
      saved = await submit({
        name: values.name,
        description: values.description ?? "",
        examplePayload: parseJsonText(values.exampleText),
        schema: parseJsonText(values.schemaText),
      });
    } catch (error) {
      placeServerError(error);
      return;
    }
    onSaved(saved);
  });

  /** The service's verdict on the field it concerns (name taken, bad schema, example that does not fit), else above the form. */
  const placeServerError = (error: unknown) => {
    const { code, message, issues } = readError(error, "Could not save the event type");
    if (code === "conflict") {
      setError("name", { message }, { shouldFocus: true });
      return;
    }
    if (code === "validation_failed") {
      const schemaIssues = issues.filter((issue) => issue.path === "schema" || issue.path?.startsWith("schema."));
      const exampleIssues = issues.filter((issue) => issue.path?.startsWith("payload") || issue.path?.startsWith("examplePayload"));
      const nameIssue = issues.find((issue) => issue.path === "name");
      if (schemaIssues.length) setError("schemaText", { message: `${message}: ${schemaIssues.map((issue) => issue.message).join("; ")}` });
      if (exampleIssues.length) {
        const list = exampleIssues.map((issue) => `${issue.path?.replace(/^(payload|examplePayload)\.?/, "") || "the example"} ${issue.message}`);
        setError("exampleText", { message: `${message}: ${list.join("; ")}` });
      }
      if (nameIssue) setError("name", { message: nameIssue.message ?? "Not a valid name" });
      if (schemaIssues.length || exampleIssues.length || nameIssue) return;
    }
    setError("root", { message });
  };

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {errors.root && <Alert tone="error">{errors.root.message}</Alert>}
      <FormField label="Name" labelHint="letters, digits and . _ : -" error={errors.name?.message}>
        <Input id="et-name" {...register("name")} disabled={Boolean(initial)} placeholder="call:completed" autoComplete="off" className="font-mono" />
      </FormField>
      <FormField label="Description" labelHint="optional" error={errors.description?.message}>
        <Input id="et-description" {...register("description")} placeholder="An answered call on a tracked number ended." />
      </FormField>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <FormField label="Example payload" labelHint="JSON object, optional" hint="Prefills Send test and the Playground." error={errors.exampleText?.message}>
          <Textarea
            id="et-example"
            {...register("exampleText")}
            rows={12}
            spellCheck={false}
            placeholder={'{\n  "call_id": "call_123",\n  "duration": 45\n}'}
            className="font-mono text-xs"
          />
        </FormField>
        <FormField label="Schema" labelHint="JSON Schema, optional" hint="When set, publishing a payload that does not match is refused." error={errors.schemaText?.message}>
          <Textarea
            id="et-schema"
            {...register("schemaText")}
            rows={12}
            spellCheck={false}
            placeholder={'{\n  "type": "object",\n  "required": ["duration"]\n}'}
            className="font-mono text-xs"
          />
        </FormField>
      </div>
      <FormActions submitLabel={initial ? "Save changes" : "Create event type"} pending={isSubmitting} onCancel={onCancel} className="border-t border-zinc-100 pt-4" />
    </form>
  );
}
