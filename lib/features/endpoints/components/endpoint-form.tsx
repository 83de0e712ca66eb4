"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormProvider, useForm } from "react-hook-form";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { buttonClasses } from "@/components/ui/link-button";
import { readError } from "@/lib/api-client";
import { useSaveEndpoint } from "../api/endpoint";
import { useEndpointOps } from "../api/ops";
import { endpointFormResolver, toFieldErrors, toInput, type EndpointFormValues } from "../form-model";
import type { CatalogEventType } from "../types";
import { CreatedDialog } from "./endpoint-form/created-dialog";
import { DeliverySection } from "./endpoint-form/delivery-section";
import { DestinationSection } from "./endpoint-form/destination-section";
import { EventsSection } from "./endpoint-form/events-section";
import { FiltersSection } from "./endpoint-form/filters-section";
import { PresetPicker } from "./endpoint-form/preset-picker";
import { SigningSection } from "./endpoint-form/signing-section";

type Props = {
  mode: "create" | "edit";
  catalog: CatalogEventType[];
  defaultValues: EndpointFormValues;
  /** The endpoint being edited; none when creating. */
  endpointId?: string;
  cancelHref: string;
};

/**
 * The endpoint form, console and portal alike: one react-hook-form instance shared with its
 * sections (`./endpoint-form/`) through FormProvider; the portal shows the customer-facing
 * sections only. The server's refusals land on the fields they name.
 */
export function EndpointForm({ mode, catalog, defaultValues, endpointId, cancelHref }: Props) {
  const ops = useEndpointOps();
  const router = useRouter();
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);
  const form = useForm<EndpointFormValues>({ defaultValues, resolver: endpointFormResolver, mode: "onTouched" });
  const { handleSubmit, setError, formState } = form;
  const { errors, isSubmitting } = formState;

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
    <FormProvider {...form}>
      <form onSubmit={submit} noValidate aria-label={mode === "create" ? "New endpoint" : "Edit endpoint"}>
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

        <PresetPicker />
        <DestinationSection />
        <EventsSection catalog={catalog} />
        <FiltersSection catalog={catalog} />
        {!ops.portal && (
          <>
            <SigningSection />
            <DeliverySection />
          </>
        )}

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

      <CreatedDialog created={created} onContinue={continueToEndpoint} />
    </FormProvider>
  );
}
