"use client";

import { Eye, EyeOff, KeyRound, RefreshCw } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useSecret } from "../../api/endpoint";
import { useEndpointOps } from "../../api/ops";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Tabs } from "@/components/ui/tabs";
import type { SignatureConfig } from "@/lib/delivery/schemas";
import { verifySnippets } from "../verify-snippets";

// Only the header formats that can carry two signatures sign with the old secret too during a rotation.
const DUAL_SIGNING = new Set<SignatureConfig["scheme"]>(["standard", "stripe"]);

export function SecretCard({ endpointId, signature, canWrite }: { endpointId: string; signature: SignatureConfig; canWrite: boolean }) {
  const [secret, setSecret] = useState<string | null>(null);
  const [previousUntil, setPreviousUntil] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<"reveal" | "rotate" | null>(null);
  const ops = useEndpointOps();
  const snippets = verifySnippets(signature, ops.portal ? "WEBHOOK_SECRET" : undefined);
  const dual = DUAL_SIGNING.has(signature.scheme);

  const secretCall = useSecret(endpointId, {
    onSuccess: (data, kind) => {
      setConfirm(null);
      setSecret(data.secret);
      setPreviousUntil(data.previousSecretExpiresAt);
      if (kind === "rotate") toast.success("Secret rotated — the new one is shown below");
    },
    onError: (error) => {
      setConfirm(null);
      toast.error(error.message);
    },
  });
  const run = (kind: "reveal" | "rotate") => secretCall.mutate(kind);
  const busy = secretCall.isPending;

  return (
    <Card
      title="Signing secret"
      description="The receiver uses it to check that requests come from you."
      actions={
        canWrite && (
          <Button type="button" variant="secondary" size="sm" onClick={() => setConfirm("rotate")}>
            <RefreshCw className="size-3.5" aria-hidden />
            Rotate
          </Button>
        )
      }
    >
      <div className="space-y-5">
        <div className="flex flex-wrap items-center gap-2">
          <code aria-label="Signing secret" className="min-w-0 flex-1 rounded-md break-all bg-zinc-100 px-3 py-2 font-mono text-sm ring-1 ring-zinc-200">
            {secret ?? "whsec_" + "•".repeat(32)}
          </code>
          {secret ? (
            <>
              <CopyButton value={secret} />
              <Button type="button" variant="ghost" size="sm" onClick={() => setSecret(null)}>
                <EyeOff className="size-3.5" aria-hidden />
                Hide
              </Button>
            </>
          ) : canWrite ? (
            <Button type="button" variant="secondary" size="sm" onClick={() => setConfirm("reveal")}>
              <Eye className="size-3.5" aria-hidden />
              Reveal
            </Button>
          ) : (
            <span className="text-xs text-zinc-500">Only admins can reveal it.</span>
          )}
        </div>
        {previousUntil && (
          <Alert tone="info">
            {dual
              ? `The previous secret also signs every request until ${new Date(previousUntil).toLocaleString()}.`
              : `The previous secret is kept until ${new Date(previousUntil).toLocaleString()}, but this scheme carries one signature: requests are signed with the new secret now.`}
          </Alert>
        )}

        <div>
          <h3 className="mb-1 text-sm font-semibold">Verify requests</h3>
          {snippets.note && <p className="mb-2 text-sm text-zinc-500">{snippets.note}</p>}
          <Tabs
            label="Verification snippet language"
            tabs={[
              { id: "node", label: "Node.js", content: <CodeBlock label="Node.js verification">{snippets.node}</CodeBlock> },
              { id: "python", label: "Python", content: <CodeBlock label="Python verification">{snippets.python}</CodeBlock> },
            ]}
          />
        </div>
      </div>

      <Dialog open={confirm === "reveal"} onClose={() => setConfirm(null)} title="Reveal the signing secret?">
        <div className="space-y-4 text-sm text-zinc-600">
          <p>Anyone who sees this secret can forge requests this endpoint will trust. Make sure nobody is looking over your shoulder or recording your screen.</p>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button type="button" pending={busy} onClick={() => run("reveal")}>
              <KeyRound className="size-4" aria-hidden />
              Reveal secret
            </Button>
          </div>
        </div>
      </Dialog>

      <Dialog open={confirm === "rotate"} onClose={() => setConfirm(null)} title="Rotate the signing secret?">
        <div className="space-y-4 text-sm text-zinc-600">
          <p>A new secret is generated now and the current one stays valid for 24 hours.</p>
          {dual ? (
            <p>With this scheme every request carries both signatures during those 24 hours, so the receiver can switch over without dropping events: update it within a day.</p>
          ) : (
            <Alert tone="error">
              This scheme carries a single signature, so requests are signed with the new secret right away. Update the receiver at the same time, or its
              checks will fail until you do.
            </Alert>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button type="button" variant="danger" pending={busy} onClick={() => run("rotate")}>
              <RefreshCw className="size-4" aria-hidden />
              Rotate secret
            </Button>
          </div>
        </div>
      </Dialog>
    </Card>
  );
}
