"use client";

import { AlertTriangle, Pause, Pencil, Play } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useSetEnabled } from "../../api/endpoint";
import { useEndpointOps } from "../../api/ops";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { endpointStatus } from "../format";
import { buttonClasses } from "@/components/ui/link-button";

type Props = {
  endpoint: { id: string; title: string; url: string; description: string; enabled: boolean; disabledReason: string | null; disabledAt: string | null };
  canWrite: boolean;
};

export function EndpointHeader({ endpoint, canWrite }: Props) {
  const ops = useEndpointOps();
  const router = useRouter();
  const status = endpointStatus(endpoint);

  const setEnabled = useSetEnabled(endpoint.id, {
    onSuccess: (data) => {
      toast.success(data.enabled ? "Endpoint enabled" : "Endpoint disabled: new deliveries are paused");
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
  const toggle = () => setEnabled.mutate(!endpoint.enabled);
  const pending = setEnabled.isPending;

  return (
    <div className="mb-6 space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href={ops.href("/endpoints")} className="hover:text-zinc-800">
          Endpoints
        </Link>{" "}
        <span aria-hidden>/</span> {endpoint.title}
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{endpoint.title}</h1>
            <Badge tone={status.tone}>{status.label}</Badge>
          </div>
          <div className="mt-1.5 flex items-center gap-2">
            <span className="truncate font-mono text-sm text-zinc-600" title={endpoint.url}>
              {endpoint.url}
            </span>
            <CopyButton value={endpoint.url} label="Copy URL" />
          </div>
          {endpoint.description && <p className="mt-2 max-w-2xl text-sm text-zinc-600">{endpoint.description}</p>}
        </div>
        {canWrite && (
          <div className="flex gap-2">
            <Button type="button" variant="secondary" onClick={toggle} pending={pending}>
              {endpoint.enabled ? <Pause className="size-4" aria-hidden /> : <Play className="size-4" aria-hidden />}
              {endpoint.enabled ? "Disable" : "Enable"}
            </Button>
            <Link href={ops.href(`/endpoints/${endpoint.id}/edit`)} className={buttonClasses("primary")}>
              <Pencil className="size-4" aria-hidden />
              Edit
            </Link>
          </div>
        )}
      </div>
      {!endpoint.enabled && (
        <div role="status" className="flex items-start gap-3 rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
          <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
          <div>
            <p className="font-medium">
              Disabled{endpoint.disabledAt ? ` on ${new Date(endpoint.disabledAt).toLocaleString()}` : ""}: {status.reason}
            </p>
            <p className="mt-0.5 text-amber-800">
              New matching events are kept as paused deliveries; nothing is lost. {canWrite ? "Enable the endpoint, then use “Recover” to send them." : ""}
            </p>
          </div>
        </div>
      )}
    </div>
  );
}
