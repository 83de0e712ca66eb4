import Link from "next/link";
import type { CSSProperties, ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import type { PortalSettings } from "@/lib/features/portal/schema";

/** The product's accent replaces the console's brand colour for every component inside. */
function accentVariables(accent: string): CSSProperties {
  return {
    "--color-brand-50": `color-mix(in oklab, ${accent} 8%, white)`,
    "--color-brand-100": `color-mix(in oklab, ${accent} 16%, white)`,
    "--color-brand-500": `color-mix(in oklab, ${accent} 85%, white)`,
    "--color-brand-600": accent,
    "--color-brand-700": `color-mix(in oklab, ${accent} 80%, black)`,
  } as CSSProperties;
}

/**
 * The customer portal's frame, in the product's words: its name, logo and colour; Hookline's
 * name only when the operator turned "powered by" on.
 */
export function PortalShell({
  settings,
  workspaceName,
  token,
  readOnly,
  children,
}: {
  settings: PortalSettings;
  workspaceName: string;
  token: string;
  readOnly: boolean;
  children: ReactNode;
}) {
  const name = settings.productName || workspaceName;
  const dark = settings.theme === "dark";
  return (
    <div
      style={accentVariables(settings.accentColor)}
      data-theme={settings.theme}
      className={cn("min-h-screen", dark ? "bg-zinc-900" : "bg-zinc-50", settings.theme === "auto" && "portal-auto")}
    >
      <header className={cn("border-b", dark ? "border-zinc-800 bg-zinc-950 text-white" : "border-zinc-200 bg-white")}>
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-8">
          <div className="flex min-w-0 items-center gap-2.5">
            {settings.logoUrl ? (
              // The operator's logo, from their own host; referrer-less so the portal URL never leaks.
              // eslint-disable-next-line @next/next/no-img-element
              <img src={settings.logoUrl} alt="" className="size-7 rounded object-contain" referrerPolicy="no-referrer" />
            ) : (
              <span aria-hidden className="flex size-7 items-center justify-center rounded-md bg-brand-600 text-sm font-semibold text-white">
                {name.charAt(0).toUpperCase()}
              </span>
            )}
            <span className="truncate text-sm font-semibold">{name} · Webhooks</span>
          </div>
          <nav aria-label="Portal" className="flex gap-1 text-sm">
            <Link href={`/portal/${token}`} className={cn("rounded-md px-3 py-1.5 font-medium", dark ? "hover:bg-zinc-800" : "hover:bg-zinc-100")}>
              Endpoints
            </Link>
            <Link href={`/portal/${token}/messages`} className={cn("rounded-md px-3 py-1.5 font-medium", dark ? "hover:bg-zinc-800" : "hover:bg-zinc-100")}>
              Messages
            </Link>
          </nav>
          {readOnly && (
            <span className={cn("ml-auto rounded-full px-2.5 py-0.5 text-xs font-medium", dark ? "bg-zinc-800 text-zinc-300" : "bg-zinc-100 text-zinc-600")}>
              Read-only
            </span>
          )}
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-8">
        <div className={cn(dark && "rounded-2xl bg-zinc-50 p-4 sm:p-6")}>{children}</div>
        {settings.showPoweredBy && <p className={cn("mt-10 text-center text-xs", dark ? "text-zinc-500" : "text-zinc-400")}>Webhooks by Hookline</p>}
      </main>
    </div>
  );
}

/** An expired, unknown or tampered link: say so plainly, and what to do. Never a stack trace or a login page. */
export function PortalRefused({ reason }: { reason: "unknown" | "expired" }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4">
      <div role="alert" className="max-w-md rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-zinc-200">
        <h1 className="text-lg font-semibold">{reason === "expired" ? "This link has expired" : "This link is not valid"}</h1>
        <p className="mt-2 text-sm text-zinc-600">
          {reason === "expired"
            ? "Links to the webhook settings are short-lived. Go back to the app and open the webhook settings again to get a fresh one."
            : "The address may be incomplete or changed. Go back to the app and open the webhook settings again."}
        </p>
      </div>
    </main>
  );
}
