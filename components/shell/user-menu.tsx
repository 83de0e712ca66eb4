"use client";

import { ChevronsUpDown, LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { useEffect, useRef, useState } from "react";

export function UserMenu({ email, role }: { email: string; role: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !ref.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

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
          <button
            type="button"
            role="menuitem"
            onClick={() => void signOut({ callbackUrl: "/login" })}
            className="flex w-full items-center gap-2 rounded px-2 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100"
          >
            <LogOut className="size-4" aria-hidden /> Sign out
          </button>
        </div>
      )}
    </div>
  );
}
