import { cloneElement, useId, type InputHTMLAttributes, type ReactElement, type ReactNode } from "react";
import { cn } from "./cn";
import { Button } from "./button";
import { Input } from "./inputs";

type ControlProps = { id?: string; "aria-invalid"?: boolean; "aria-describedby"?: string };

type FormFieldProps = {
  label: ReactNode;
  /** Grey text beside the label ("optional", a format). */
  labelHint?: ReactNode;
  /** A line under the control (the error takes its place). */
  hint?: ReactNode;
  error?: string;
  /** The control's id; otherwise the child's own id, otherwise a generated one. */
  id?: string;
  /** One control: Input, Textarea, Select or anything that takes id and aria props. */
  children: ReactElement<ControlProps>;
  className?: string;
};

/**
 * A labelled control with its hint and error, wired for screen readers: the label points at the
 * control, the control is `aria-invalid` on error and described by the hint and the error.
 */
export function FormField({ label, labelHint, hint, error, id, children, className }: FormFieldProps) {
  const generated = useId();
  const controlId = id ?? children.props.id ?? generated;
  const hintId = hint && !error ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [children.props["aria-describedby"], hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("min-w-0", className)}>
      <label htmlFor={controlId} className="mb-1.5 block text-sm font-medium text-zinc-800">
        {label}
        {labelHint && <span className="ml-1.5 font-normal text-zinc-500">{labelHint}</span>}
      </label>
      {cloneElement(children, { id: controlId, "aria-invalid": error ? true : children.props["aria-invalid"], "aria-describedby": describedBy })}
      {hintId && (
        <p id={hintId} className="mt-1 text-xs text-zinc-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="mt-1 text-sm text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; error?: string; hint?: string };

/** A FormField around a plain named input (the sign-in forms). */
export function Field({ label, name, error, hint, className, ...props }: FieldProps) {
  return (
    <FormField label={label} hint={hint} error={error} id={name} className={className}>
      <Input name={name} {...props} />
    </FormField>
  );
}

/** A form's closing row: Cancel, then the submit button (pending while the form is sent). */
export function FormActions({ submitLabel, pending, onCancel, className }: { submitLabel: ReactNode; pending?: boolean; onCancel: () => void; className?: string }) {
  return (
    <div className={cn("flex justify-end gap-2 pt-1", className)}>
      <Button type="button" variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" pending={pending}>
        {submitLabel}
      </Button>
    </div>
  );
}
