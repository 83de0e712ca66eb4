"use client";

import { X } from "lucide-react";
import { useState } from "react";
import { cn } from "./cn";

type ChipsInputProps = {
  id: string;
  value: string[];
  onChange: (value: string[]) => void;
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  disabled?: boolean;
};

/** Free-text values as chips: Enter, comma or blur adds; Backspace in an empty box removes the last. */
export function ChipsInput({ id, value, onChange, placeholder, invalid, describedBy, disabled }: ChipsInputProps) {
  const [draft, setDraft] = useState("");
  const commit = (text = draft) => {
    const additions = text.split(",").map((part) => part.trim()).filter((part) => part && !value.includes(part));
    if (additions.length) onChange([...value, ...new Set(additions)]);
    setDraft("");
  };
  return (
    <div
      className={cn(
        "flex min-h-9 w-full flex-wrap items-center gap-1.5 rounded-md bg-white px-2 py-1.5 shadow-sm ring-1 ring-inset focus-within:ring-2",
        invalid ? "ring-red-400 focus-within:ring-red-500" : "ring-zinc-300 focus-within:ring-brand-500",
      )}
    >
      {value.map((chip) => (
        <span key={chip} className="inline-flex items-center gap-1 rounded bg-zinc-100 py-0.5 pr-1 pl-2 font-mono text-xs text-zinc-800 ring-1 ring-zinc-200">
          {chip}
          {!disabled && (
            <button
              type="button"
              onClick={() => onChange(value.filter((item) => item !== chip))}
              className="rounded p-0.5 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-800"
              aria-label={`Remove ${chip}`}
            >
              <X className="size-3" aria-hidden />
            </button>
          )}
        </span>
      ))}
      <input
        id={id}
        value={draft}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        placeholder={value.length ? "" : placeholder}
        onChange={(event) => {
          const text = event.target.value;
          if (text.includes(",")) commit(text);
          else setDraft(text);
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            commit();
          } else if (event.key === "Backspace" && draft === "" && value.length) {
            onChange(value.slice(0, -1));
          }
        }}
        onBlur={() => commit()}
        className="h-6 min-w-32 flex-1 border-0 bg-transparent p-0 text-sm focus:ring-0 focus:outline-none"
      />
    </div>
  );
}
