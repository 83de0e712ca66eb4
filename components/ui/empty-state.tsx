import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

export function EmptyState({ icon: Icon, title, children, action }: { icon: LucideIcon; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-14 text-center">
      <span className="mb-4 flex size-11 items-center justify-center rounded-full bg-brand-50">
        <Icon className="size-5 text-brand-600" aria-hidden />
      </span>
      <h2 className="text-base font-semibold">{title}</h2>
      {children && <div className="mt-1.5 max-w-md text-sm text-zinc-600">{children}</div>}
      {action && <div className="mt-5">{action}</div>}
    </div>
  );
}
