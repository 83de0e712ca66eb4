"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { KeyRound, Plus, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { FormActions, FormField } from "@/components/ui/field";
import { Input, Label, Select } from "@/components/ui/inputs";
import { RelativeTime } from "@/components/ui/time";
import { createApiKeySchema, type CreateApiKeyInput } from "@/lib/features/settings/schema";
import { ROLE_HELP, type ApiKeyView } from "../types";
import { Table, Td } from "@/components/ui/table";
import { useCreateApiKey, useRevokeApiKey } from "../api/settings";

export function ApiKeysSection({ keys, canWrite }: { keys: ApiKeyView[]; canWrite: boolean }) {
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const revoke = useRevokeApiKey({
    onSuccess: () => {
      toast.success(`Revoked “${revoking?.name}”. Requests with it now get 401.`);
      setRevoking(null);
    },
    onError: (error) => toast.error(error.message),
  });

  // Active keys first; revoked ones stay listed (greyed) so "why does CI get 401?" has an answer.
  const sorted = [...keys].sort((a, b) => Number(!!a.revokedAt) - Number(!!b.revokedAt));

  return (
    <Card
      title="API keys"
      description={
        <>
          For your application&apos;s calls to the HTTP API: <code className="font-mono text-xs">Authorization: Bearer hk_…</code>
        </>
      }
      actions={
        canWrite && (
          <Button size="sm" onClick={() => setCreating(true)}>
            <Plus className="size-4" aria-hidden /> Create key
          </Button>
        )
      }
    >
      {sorted.length === 0 ? (
        <div className="py-6 text-center text-sm text-zinc-600">
          <KeyRound className="mx-auto mb-2 size-5 text-zinc-500" aria-hidden />
          No API keys yet.{canWrite ? " Create one for your application to publish events." : " An admin can create one."}
        </div>
      ) : (
        <Table label="API keys" frame="bleed" minWidth={640} columns={["Name", "Key", "Role", "Created", "Last used", "Status", ...(canWrite ? [{ label: "Actions", hidden: true }] : [])]}>
          {sorted.map((key) => (
            <tr key={key.id} className={key.revokedAt ? "text-zinc-500" : undefined}>
              <Td dense className="font-medium text-zinc-900">
                <span className={key.revokedAt ? "text-zinc-500 line-through" : undefined}>{key.name}</span>
              </Td>
              <Td dense className="font-mono text-xs">{key.prefix}…</Td>
              <Td dense>
                <Badge tone={key.role === "VIEWER" ? "neutral" : "info"}>{key.role === "VIEWER" ? "Read-only" : "Admin"}</Badge>
              </Td>
              <Td dense className="whitespace-nowrap">
                <RelativeTime iso={key.createdAt} />
              </Td>
              <Td dense className="whitespace-nowrap">{key.lastUsedAt ? <RelativeTime iso={key.lastUsedAt} /> : <span className="text-zinc-500">Never</span>}</Td>
              <Td dense className="whitespace-nowrap">
                {key.revokedAt ? (
                  <Badge tone="danger">
                    Revoked <RelativeTime iso={key.revokedAt} />
                  </Badge>
                ) : (
                  <Badge tone="success">Active</Badge>
                )}
              </Td>
              {canWrite && (
                <Td dense className="text-right">
                  {!key.revokedAt && (
                    <Button size="sm" variant="ghost" className="hover:bg-red-50" onClick={() => setRevoking(key)} aria-label={`Revoke ${key.name}`}>
                      <span className="text-red-700">Revoke</span>
                    </Button>
                  )}
                </Td>
              )}
            </tr>
          ))}
        </Table>
      )}

      {canWrite && <CreateKeyDialog open={creating} onClose={() => setCreating(false)} />}
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        pending={revoke.isPending}
        title="Revoke API key"
        confirmLabel="Revoke key"
      >
        <p>
          Revoke <strong>{revoking?.name}</strong> (<span className="font-mono text-xs">{revoking?.prefix}…</span>)? Every request that uses it is refused with
          401 from now on. This cannot be undone.
        </p>
      </ConfirmDialog>
    </Card>
  );
}

function CreateKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<{ name: string; plaintext: string } | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title={created ? "Copy your new API key" : "Create an API key"}>
      {open && (created ? <ShowOnce created={created} onDone={close} /> : <CreateKeyForm onCreated={setCreated} onCancel={close} />)}
    </Dialog>
  );
}

function CreateKeyForm({ onCreated, onCancel }: { onCreated: (created: { name: string; plaintext: string }) => void; onCancel: () => void }) {
  const form = useForm<CreateApiKeyInput>({ resolver: zodResolver(createApiKeySchema), defaultValues: { name: "", role: "ADMIN" } });
  const { register, handleSubmit, formState, control } = form;
  const create = useCreateApiKey({ onSuccess: (data) => onCreated({ name: data.key.name, plaintext: data.plaintext }) });
  const role = useWatch({ control, name: "role" }) ?? "ADMIN";
  return (
    <form onSubmit={handleSubmit((values) => create.mutate(values))} className="space-y-4" noValidate>
      {create.error && <Alert tone="error">{create.error.message}</Alert>}
      <FormField label="Name" error={formState.errors.name?.message}>
        <Input id="key-name" placeholder="e.g. Production app" autoComplete="off" autoFocus {...register("name")} />
      </FormField>
      <FormField label="Access" hint={role === "VIEWER" ? ROLE_HELP.VIEWER : "Can do everything the API offers except managing members."}>
        <Select id="key-role" {...register("role")}>
          <option value="ADMIN">Admin — publish events and manage endpoints</option>
          <option value="VIEWER">Read-only — list and read, change nothing</option>
        </Select>
      </FormField>
      <FormActions submitLabel="Create key" pending={create.isPending} onCancel={onCancel} />
    </form>
  );
}

function ShowOnce({ created, onDone }: { created: { name: string; plaintext: string }; onDone: () => void }) {
  // Rendered only after a click, never on the server: window is there.
  const origin = window.location.origin;
  return (
    <div className="space-y-4">
      <div role="alert" className="flex gap-2.5 rounded-md bg-amber-50 px-3 py-2.5 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
        <p>
          This is the only time <strong>{created.name}</strong> is shown. Store it in your secret manager now: Hookline keeps only a hash and cannot show it
          again.
        </p>
      </div>
      <div>
        <Label htmlFor="created-key">API key</Label>
        <div className="flex gap-2">
          <Input id="created-key" readOnly value={created.plaintext} className="font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
          <CopyButton value={created.plaintext} />
        </div>
      </div>
      <div>
        <p className="mb-1.5 text-sm font-medium text-zinc-800">Try it</p>
        <CodeBlock label="Example request">{`curl ${origin}/api/v1/me \\\n  -H "Authorization: Bearer ${created.plaintext}"`}</CodeBlock>
      </div>
      <div className="flex justify-end">
        <Button type="button" onClick={onDone}>
          I have stored it
        </Button>
      </div>
    </div>
  );
}
