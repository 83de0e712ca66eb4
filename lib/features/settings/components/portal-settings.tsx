"use client";

import { type ReactNode, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input, Label, Select, Textarea } from "@/components/ui/inputs";
import { Switch } from "@/components/ui/switch";
import type { PortalSettings } from "@/lib/features/portal/schema";
import { useSavePortalSettings } from "../api/settings";

/** Branding and embedding of the customer portal (what the product's customers see). */
export function PortalSettingsSection({ settings, canWrite }: { settings: PortalSettings; canWrite: boolean }) {
  const [values, setValues] = useState({ ...settings, allowedOrigins: settings.allowedOrigins.join("\n") });
  const set = <K extends keyof typeof values>(key: K, value: (typeof values)[K]) => setValues((current) => ({ ...current, [key]: value }));
  const save = useSavePortalSettings({ onSuccess: () => void toast.success("Portal settings saved") });
  const description = "What your customers see when your app opens their webhook settings (POST /api/v1/accounts/{account}/portal).";
  if (!canWrite) return <PortalSettingsSummary settings={settings} description={description} />;
  return (
    <Card title="Customer portal" description={description}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ ...values, allowedOrigins: values.allowedOrigins.split(/\s+/).map((origin) => origin.trim()).filter(Boolean) });
        }}
        className="grid gap-4 sm:grid-cols-2"
        noValidate
      >
        {save.error && (
          <div className="sm:col-span-2">
            <Alert tone="error">{save.error.message}</Alert>
          </div>
        )}
        <div>
          <Label htmlFor="portal-product">Product name</Label>
          <Input id="portal-product" value={values.productName} onChange={(e) => set("productName", e.target.value)} placeholder="CallTracker" disabled={!canWrite} />
        </div>
        <div>
          <Label htmlFor="portal-logo" hint="optional">Logo URL</Label>
          <Input id="portal-logo" type="url" value={values.logoUrl} onChange={(e) => set("logoUrl", e.target.value)} placeholder="https://app.example.com/logo.svg" disabled={!canWrite} />
        </div>
        <div>
          <Label htmlFor="portal-accent">Accent colour</Label>
          <div className="flex gap-2">
            <input aria-label="Pick the accent colour" type="color" value={values.accentColor} onChange={(e) => set("accentColor", e.target.value)} className="h-9 w-12 rounded border border-zinc-300" disabled={!canWrite} />
            <Input id="portal-accent" value={values.accentColor} onChange={(e) => set("accentColor", e.target.value)} className="font-mono" disabled={!canWrite} />
          </div>
        </div>
        <div>
          <Label htmlFor="portal-theme">Theme</Label>
          <Select id="portal-theme" value={values.theme} onChange={(e) => set("theme", e.target.value as PortalSettings["theme"])} disabled={!canWrite}>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
            <option value="auto">Follow the visitor&apos;s system</option>
          </Select>
        </div>
        <div className="sm:col-span-2">
          <Label htmlFor="portal-origins" hint="one per line">Sites allowed to embed the portal</Label>
          <Textarea
            id="portal-origins"
            rows={3}
            value={values.allowedOrigins}
            onChange={(e) => set("allowedOrigins", e.target.value)}
            placeholder="https://app.example.com"
            className="font-mono"
            aria-describedby="portal-origins-hint"
            disabled={!canWrite}
          />
          <p id="portal-origins-hint" className="mt-1 text-xs text-zinc-500">
            Sent as <code className="font-mono">Content-Security-Policy: frame-ancestors</code>. Empty: the portal opens as a full page only.
          </p>
        </div>
        <div className="sm:col-span-2">
          <Switch
            id="portal-powered-by"
            checked={values.showPoweredBy}
            onChange={(checked) => set("showPoweredBy", checked)}
            label="Show “Webhooks by Hookline”"
            description="Off: your customers see your product only."
            disabled={!canWrite}
          />
        </div>
        {canWrite && (
          <div className="sm:col-span-2">
            <Button type="submit" variant="secondary" pending={save.isPending}>
              Save portal settings
            </Button>
          </div>
        )}
      </form>
    </Card>
  );
}

/** A viewer reads the portal's branding; there is nothing for them to change. */
function PortalSettingsSummary({ settings, description }: { settings: PortalSettings; description: string }) {
  const rows: Array<[string, ReactNode]> = [
    ["Product name", settings.productName || "—"],
    ["Logo URL", settings.logoUrl || "—"],
    [
      "Accent colour",
      <span key="accent" className="inline-flex items-center gap-2 font-mono">
        <span aria-hidden className="inline-block h-3 w-3 rounded-sm border border-zinc-300" style={{ backgroundColor: settings.accentColor }} />
        {settings.accentColor}
      </span>,
    ],
    ["Theme", settings.theme === "dark" ? "Dark" : settings.theme === "auto" ? "Follows the visitor's system" : "Light"],
    ["Sites allowed to embed", settings.allowedOrigins.length ? settings.allowedOrigins.join(", ") : "None (full page only)"],
    ["“Webhooks by Hookline”", settings.showPoweredBy ? "Shown" : "Hidden"],
  ];
  return (
    <Card title="Customer portal" description={description}>
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-zinc-500">{term}</dt>
            <dd className="break-all text-zinc-900">{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
