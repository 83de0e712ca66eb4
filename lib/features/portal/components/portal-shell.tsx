import Link from "next/link";
import type { CSSProperties, ReactNode } from "react";
import type { PortalSettings } from "@/lib/features/portal/schema";

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
  return (
    // The theme (light, dark, auto) and the product's accent are the palette of app/globals.css's `.portal-theme`.
    <div style={{ "--portal-accent": settings.accentColor } as CSSProperties} data-theme={settings.theme} className="portal-theme min-h-screen bg-zinc-50 text-zinc-900">
      <header className="border-b border-zinc-200 bg-white">
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
            <Link href={`/portal/${token}`} className="rounded-md px-3 py-1.5 font-medium hover:bg-zinc-100">
              Endpoints
            </Link>
            <Link href={`/portal/${token}/messages`} className="rounded-md px-3 py-1.5 font-medium hover:bg-zinc-100">
              Messages
            </Link>
          </nav>
          {readOnly && <span className="ml-auto rounded-full bg-zinc-100 px-2.5 py-0.5 text-xs font-medium text-zinc-600">Read-only</span>}
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-8">
        {children}
        {settings.showPoweredBy && <p className="mt-10 text-center text-xs text-zinc-500">Webhooks by Hookline</p>}
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
