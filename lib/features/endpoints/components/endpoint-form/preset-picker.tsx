"use client";

import { useState } from "react";
import { useFormContext } from "react-hook-form";
import { Label, Select } from "@/components/ui/inputs";
import { signatureHeaderNames } from "@/lib/delivery/signature-headers";
import { eventTypePresets } from "@/lib/features/event-types/presets";
import { presetFields, type EndpointFormValues } from "../../form-model";
import { useEndpointOps } from "../../api/ops";
import { RETRY_PRESET_LABELS, SCHEME_LABELS } from "../format";

/** "Start from a product preset": fills signing, headers, retries, timeout and auto-disable from a seed's document. */
export function PresetPicker() {
  const ops = useEndpointOps();
  const { setValue, formState } = useFormContext<EndpointFormValues>();
  const [presetNote, setPresetNote] = useState<string | null>(null);
  return (
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
  );
}
