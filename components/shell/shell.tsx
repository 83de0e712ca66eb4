"use client";

import { Menu, X } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Logo } from "@/components/ui/logo";
import { Nav } from "./nav";
import { UserMenu } from "./user-menu";

type ShellProps = { workspaceName: string; switcher: ReactNode; email: string; role: string; children: ReactNode };

/**
 * Sidebar on wide screens; a top bar with a slide-over menu on phones. The sidebar's header is
 * the workspace switcher (a feature component, passed in by the console layout).
 */
export function Shell({ workspaceName, switcher, email, role, children }: ShellProps) {
  const [open, setOpen] = useState(false);
  const sidebar = (
    <div className="flex h-full flex-col gap-6 px-3 py-4">
      <div className="pr-8 lg:pr-0">{switcher}</div>
      <Nav onNavigate={() => setOpen(false)} />
      <div className="mt-auto">
        <UserMenu email={email} role={role} />
      </div>
    </div>
  );
  return (
    <div className="min-h-screen lg:pl-60">
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <aside className="fixed inset-y-0 left-0 hidden w-60 border-r border-zinc-200 bg-zinc-100/70 lg:block">{sidebar}</aside>
      <header className="sticky top-0 z-20 flex h-14 items-center gap-3 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur lg:hidden">
        <button type="button" onClick={() => setOpen(true)} aria-label="Open menu" className="rounded p-1.5 hover:bg-zinc-100">
          <Menu className="size-5" />
        </button>
        <Logo className="size-6" />
        <span className="min-w-0 truncate font-semibold">{workspaceName}</span>
      </header>
      {open && (
        <div className="fixed inset-0 z-30 lg:hidden" role="dialog" aria-modal="true" aria-label="Menu">
          <div className="absolute inset-0 bg-zinc-900/30" onClick={() => setOpen(false)} />
          <div className="absolute inset-y-0 left-0 w-64 bg-zinc-50 shadow-xl">
            <button type="button" onClick={() => setOpen(false)} aria-label="Close menu" className="absolute top-3 right-3 rounded p-1.5 hover:bg-zinc-200">
              <X className="size-5" />
            </button>
            {sidebar}
          </div>
        </div>
      )}
      <main id="content" className="mx-auto max-w-6xl px-4 py-8 sm:px-8">
        {children}
      </main>
    </div>
  );
}
