import type { ReactNode } from "react";
import { Logo } from "@/components/ui/logo";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="mb-8 flex items-center gap-2.5">
        <Logo className="size-9" />
        <span className="text-xl font-semibold tracking-tight">Hookline</span>
      </div>
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-sm ring-1 ring-zinc-200">{children}</div>
      <p className="mt-6 text-xs text-zinc-500">Signed, durable webhook delivery you run yourself.</p>
    </main>
  );
}
