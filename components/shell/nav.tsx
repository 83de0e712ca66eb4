"use client";

import { Activity, BookOpen, FlaskConical, LayoutDashboard, ListTree, Mail, Settings, Users, Webhook } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export const NAV_ITEMS = [
  { href: "/", label: "Overview", icon: LayoutDashboard },
  { href: "/endpoints", label: "Endpoints", icon: Webhook },
  { href: "/accounts", label: "Accounts", icon: Users },
  { href: "/messages", label: "Messages", icon: Mail },
  { href: "/event-types", label: "Event types", icon: ListTree },
  { href: "/playground", label: "Playground", icon: FlaskConical },
  { href: "/runs", label: "Runs", icon: Activity },
  { href: "/settings", label: "Settings", icon: Settings },
  { href: "/api-reference", label: "API reference", icon: BookOpen },
] as const;

export function Nav({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="space-y-0.5">
      {NAV_ITEMS.map(({ href, label, icon: Icon }) => {
        const active = href === "/" ? pathname === "/" : pathname.startsWith(href);
        return (
          <Link
            key={href}
            href={href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium",
              active ? "bg-white text-zinc-900 shadow-sm ring-1 ring-zinc-200" : "text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900",
            )}
          >
            <Icon className={cn("size-4", active ? "text-brand-600" : "text-zinc-500")} aria-hidden />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
