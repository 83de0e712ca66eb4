"use client";

import { ChevronsUpDown } from "lucide-react";
import { useCallback, useRef, useState } from "react";
import { useDismiss } from "@/components/ui/use-dismiss";
import { SignOutButton } from "./sign-out-button";

export function UserMenu({ email, role }: { email: string; role: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(ref, open, useCallback(() => setOpen(false), []));

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        onClick={() => setOpen((value) => !value)}
        aria-haspopup="menu"
        aria-expanded={open}
        className="flex w-full items-center gap-2.5 rounded-md px-2 py-1.5 text-left hover:bg-zinc-200/60"
      >
        <span className="flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700 uppercase">
          {email.slice(0, 1)}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium text-zinc-800">{email}</span>
          <span className="block text-xs text-zinc-600 capitalize">{role.toLowerCase()}</span>
        </span>
        <ChevronsUpDown className="size-4 text-zinc-500" aria-hidden />
      </button>
      {open && (
        <div role="menu" className="absolute bottom-full left-0 mb-1 w-full rounded-md bg-white p-1 shadow-lg ring-1 ring-zinc-200">
          <SignOutButton role="menuitem" className="flex w-full items-center gap-2 rounded px-2 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100" />
        </div>
      )}
    </div>
  );
}
