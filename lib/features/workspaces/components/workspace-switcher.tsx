"use client";

import { Check, ChevronsUpDown, Plus } from "lucide-react";
import { usePathname } from "next/navigation";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { toast } from "sonner";
import { cn } from "@/components/ui/cn";
import { Logo } from "@/components/ui/logo";
import { useDismiss } from "@/components/ui/use-dismiss";
import type { WorkspaceChoice } from "@/lib/features/workspaces/types";
import { useSwitchWorkspace } from "../api/workspaces";
import { CreateWorkspaceDialog } from "./create-workspace-dialog";
import { enterWorkspace, sectionOf } from "./workspace-sync";

const roleLabel = (role: string) => role.charAt(0) + role.slice(1).toLowerCase();

/** The sidebar header: the current workspace, and a menu of the user's workspaces with their role. */
export function WorkspaceSwitcher({ workspaces, canCreate }: { workspaces: WorkspaceChoice[]; canCreate: boolean }) {
  const current = workspaces.find((workspace) => workspace.current) ?? workspaces[0]!;
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [switching, setSwitching] = useState<string | null>(null);
  const switchWorkspace = useSwitchWorkspace();
  const ref = useRef<HTMLDivElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);

  useEffect(() => {
    if (open) menuRef.current?.querySelector<HTMLElement>("[aria-checked='true'], [role^='menuitem']")?.focus();
  }, [open]);

  // Arrow keys move between the entries, as in any menu.
  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>("[role^='menuitem']") ?? []);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next =
      event.key === "Home" ? 0 : event.key === "End" ? items.length - 1 : (at + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
    items[next]?.focus();
  };

  async function choose(workspace: WorkspaceChoice) {
    if (workspace.current) return close();
    setSwitching(workspace.id);
    try {
      await switchWorkspace.mutateAsync(workspace.id);
      enterWorkspace(workspace.id, sectionOf(pathname));
    } catch (error) {
      setSwitching(null);
      toast.error((error as Error).message);
    }
  }

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        onClick={() => setOpen((value) => !value)}
        aria-haspopup="menu"
        aria-expanded={open}
        className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left hover:bg-zinc-200/60"
      >
        <Logo />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm leading-tight font-semibold text-zinc-900" title={current.name}>{current.name}</span>
          <span className="block truncate text-xs text-zinc-600">Hookline · {roleLabel(current.role)}</span>
        </span>
        <span className="sr-only">Switch workspace</span>
        <ChevronsUpDown className="size-4 shrink-0 text-zinc-500" aria-hidden />
      </button>
      {open && (
        <div
          ref={menuRef}
          role="menu"
          aria-label="Workspaces"
          onKeyDown={onMenuKey}
          className="absolute top-full left-0 z-40 mt-1 w-full min-w-56 rounded-md bg-white p-1 shadow-lg ring-1 ring-zinc-200"
        >
          <div className="px-2 pt-1 pb-1.5 text-xs font-medium text-zinc-500" aria-hidden>
            Workspaces
          </div>
          {workspaces.map((workspace) => (
            <button
              key={workspace.id}
              type="button"
              role="menuitemradio"
              aria-checked={workspace.current}
              onClick={() => void choose(workspace)}
              disabled={switching !== null}
              className={cn(
                "flex w-full items-center gap-2 rounded px-2 py-1.5 text-left text-sm hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none disabled:cursor-wait",
                workspace.current ? "text-zinc-900" : "text-zinc-700",
              )}
            >
              <span className="flex size-6 shrink-0 items-center justify-center rounded bg-zinc-200 text-xs font-semibold text-zinc-700 uppercase" aria-hidden>
                {workspace.name.slice(0, 1)}
              </span>
              <span className="min-w-0 flex-1 truncate font-medium">{workspace.name}</span>
              <span className="shrink-0 text-xs text-zinc-600">{roleLabel(workspace.role)}</span>
              <span className="flex size-4 shrink-0 items-center justify-center">
                {switching === workspace.id ? (
                  <span className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" aria-hidden />
                ) : workspace.current ? (
                  <Check className="size-4 text-brand-600" aria-hidden />
                ) : null}
              </span>
            </button>
          ))}
          {canCreate && (
            <>
              <div role="separator" className="my-1 h-px bg-zinc-100" />
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  setOpen(false);
                  setCreating(true);
                }}
                className="flex w-full items-center gap-2 rounded px-2 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none"
              >
                <Plus className="size-4" aria-hidden /> Create workspace
              </button>
            </>
          )}
        </div>
      )}
      <CreateWorkspaceDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
