import { forwardRef, type SelectHTMLAttributes, type TextareaHTMLAttributes, type InputHTMLAttributes } from "react";
import { cn } from "./cn";

const base =
  "block w-full rounded-md border-0 bg-white text-sm text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 focus:outline-none disabled:bg-zinc-50 disabled:text-zinc-500 aria-[invalid=true]:ring-red-400";

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input({ className, ...props }, ref) {
  return <input ref={ref} className={cn(base, "h-9 px-3", className)} {...props} />;
});

/**
 * An input with its unit written inside, at the right ("s", "failed deliveries"). `className`
 * styles the input (its right padding must leave room for the unit), `wrapperClassName` the box.
 */
export const InputWithSuffix = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & { suffix: string; wrapperClassName?: string }>(
  function InputWithSuffix({ suffix, wrapperClassName, ...props }, ref) {
    return (
      <div className={cn("relative", wrapperClassName)}>
        <Input ref={ref} {...props} />
        <span className="pointer-events-none absolute top-2 right-3 text-sm text-zinc-500">{suffix}</span>
      </div>
    );
  },
);

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement>>(function Textarea({ className, ...props }, ref) {
  return <textarea ref={ref} className={cn(base, "px-3 py-2", className)} {...props} />;
});

export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function Select({ className, ...props }, ref) {
  return <select ref={ref} className={cn(base, "h-9 pr-8 pl-3", className)} {...props} />;
});

export function Label({ htmlFor, children, hint }: { htmlFor?: string; children: React.ReactNode; hint?: React.ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="mb-1.5 block text-sm font-medium text-zinc-800">
      {children}
      {hint && <span className="ml-1.5 font-normal text-zinc-500">{hint}</span>}
    </label>
  );
}

export function FieldError({ id, children }: { id?: string; children?: React.ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-600">
      {children}
    </p>
  );
}
