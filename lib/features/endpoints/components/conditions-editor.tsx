"use client";

import { Plus, Trash2 } from "lucide-react";
import { Controller, useFieldArray, type Control, type FieldError, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { ChipsInput } from "@/components/ui/chips-input";
import { FieldError as ErrorText, Input, Label, Select } from "@/components/ui/inputs";
import { FILTER_OPS } from "@/lib/delivery/schemas";
import type { EndpointFormValues, RuleRow } from "../form-model";

const OP_LABELS: Record<(typeof FILTER_OPS)[number], string> = {
  eq: "equals",
  neq: "does not equal",
  gt: "greater than (>)",
  gte: "at least (≥)",
  lt: "less than (<)",
  lte: "at most (≤)",
  in: "is one of",
  nin: "is none of",
  exists: "exists",
  contains: "contains",
};

type ConditionErrors = { accounts?: FieldError; rules?: FieldErrors<RuleRow>[] & { root?: FieldError } };

type Props = {
  control: Control<EndpointFormValues>;
  register: UseFormRegister<EndpointFormValues>;
  /** "" for the endpoint-level filter, `eventFilters.<n>.` for one event's own. */
  prefix: "" | `eventFilters.${number}.`;
  /** Put before the field labels of a per-event filter ("call:completed"), so every label is unique. */
  labelPrefix?: string;
  rules: RuleRow[];
  errors?: ConditionErrors;
  /** The portal hides the account list: a customer's endpoint only ever gets their own account's messages. */
  showAccounts?: boolean;
};

/** Account list and payload conditions: the endpoint-level filter and each event's own use the same editor. */
export function ConditionsEditor({ control, register, prefix, labelPrefix, rules: current, errors, showAccounts = true }: Props) {
  const rules = useFieldArray({ control, name: `${prefix}rules` as "rules" });
  const label = (text: string) => (labelPrefix ? `${labelPrefix} ${text.charAt(0).toLowerCase()}${text.slice(1)}` : text);
  const accountsId = `${prefix || "endpoint."}accounts`.replaceAll(".", "-");
  return (
    <div className="min-w-0 space-y-5">
      <div hidden={!showAccounts}>
        <Label htmlFor={accountsId} hint="optional">
          {labelPrefix ? "Accounts for this event" : "Accounts"}
        </Label>
        <Controller
          control={control}
          name={`${prefix}accounts` as "accounts"}
          render={({ field }) => (
            <ChipsInput
              id={accountsId}
              value={field.value ?? []}
              onChange={field.onChange}
              placeholder="acc_1 — press Enter to add"
              invalid={!!errors?.accounts}
              describedBy={`${accountsId}-hint`}
            />
          )}
        />
        <p id={`${accountsId}-hint`} className="mt-1 text-xs text-zinc-500">
          {labelPrefix
            ? "Only this event's messages for these accounts. Empty: any account the endpoint accepts."
            : "Only messages published for these accounts (the message's account, else the payload's account field). Empty: any account."}
        </p>
        <ErrorText>{errors?.accounts?.message}</ErrorText>
      </div>

      <fieldset>
        <legend className="mb-1.5 block text-sm font-medium text-zinc-800">
          Payload conditions <span className="font-normal text-zinc-500">optional</span>
        </legend>
        {rules.fields.length > 0 && (
          <div className="space-y-2">
            {rules.fields.map((row, index) => {
              const rowErrors = errors?.rules?.[index];
              const op = current[index]?.op ?? (row as unknown as RuleRow).op;
              const name = `${prefix}rules.${index}` as `rules.${number}`;
              return (
                <div key={row.id} className="rounded-md bg-zinc-50/80 p-2 ring-1 ring-zinc-200">
                  <div className="grid grid-cols-1 gap-2 sm:grid-cols-[minmax(0,1fr)_10rem_minmax(0,1fr)_auto]">
                    <Input
                      aria-label={label(`Condition ${index + 1} field path`)}
                      placeholder="duration or caller.city"
                      className="font-mono"
                      {...register(`${name}.path`)}
                      aria-invalid={!!rowErrors?.path || undefined}
                    />
                    <Select aria-label={label(`Condition ${index + 1} operator`)} {...register(`${name}.op`)}>
                      {FILTER_OPS.map((candidate) => (
                        <option key={candidate} value={candidate}>
                          {OP_LABELS[candidate]}
                        </option>
                      ))}
                    </Select>
                    {op === "exists" ? (
                      <Select aria-label={label(`Condition ${index + 1} value`)} {...register(`${name}.value`)}>
                        <option value="true">yes (present)</option>
                        <option value="false">no (absent)</option>
                      </Select>
                    ) : (
                      <Input
                        aria-label={label(`Condition ${index + 1} value`)}
                        placeholder={op === "in" || op === "nin" ? "a, b, c or [1, 2]" : op === "contains" ? "text or value" : "30"}
                        className="font-mono"
                        {...register(`${name}.value`)}
                        aria-invalid={!!rowErrors?.value || undefined}
                      />
                    )}
                    <Button type="button" variant="ghost" size="sm" onClick={() => rules.remove(index)} aria-label={label(`Remove condition ${index + 1}`)}>
                      <Trash2 className="size-4" aria-hidden />
                    </Button>
                  </div>
                  {(rowErrors?.path || rowErrors?.value || rowErrors?.op) && (
                    <p className="mt-1 text-sm text-red-600">{rowErrors.path?.message ?? rowErrors.op?.message ?? rowErrors.value?.message}</p>
                  )}
                </div>
              );
            })}
          </div>
        )}
        <ErrorText>{errors?.rules?.root?.message}</ErrorText>
        <Button type="button" variant="secondary" size="sm" className="mt-2" onClick={() => rules.append({ path: "", op: "gte", value: "" })}>
          <Plus className="size-3.5" aria-hidden />
          {labelPrefix ? `Add condition for ${labelPrefix}` : "Add condition"}
        </Button>
      </fieldset>
    </div>
  );
}
