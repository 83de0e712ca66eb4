"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormField } from "@/components/ui/field";
import { Input } from "@/components/ui/inputs";
import { renameWorkspaceSchema, type RenameWorkspaceInput } from "@/lib/features/settings/schema";
import { useRenameWorkspace } from "../api/settings";

export function WorkspaceSection({ name, id, canWrite }: { name: string; id: string; canWrite: boolean }) {
  const form = useForm<RenameWorkspaceInput>({ resolver: zodResolver(renameWorkspaceSchema), defaultValues: { name } });
  const { register, handleSubmit, formState, reset, setError } = form;
  const rename = useRenameWorkspace({
    onSuccess: (workspace) => {
      toast.success(`Renamed the workspace to “${workspace.name}”.`);
      reset({ name: workspace.name });
    },
    onError: (error) => setError("name", { message: error.message }),
  });

  return (
    <Card title="Workspace" description="The name shown in the console. Endpoints and receivers never see it.">
      {canWrite ? (
        <form onSubmit={handleSubmit((values) => rename.mutate(values))} className="flex flex-wrap items-start gap-3" noValidate>
          <FormField label="Workspace name" error={formState.errors.name?.message} className="w-full max-w-sm">
            <Input id="workspace-name" autoComplete="off" {...register("name")} />
          </FormField>
          <Button type="submit" variant="secondary" className="sm:mt-7" pending={rename.isPending} disabled={!formState.isDirty}>
            Save name
          </Button>
        </form>
      ) : (
        <dl className="text-sm">
          <dt className="font-medium text-zinc-800">Workspace name</dt>
          <dd className="mt-1 text-zinc-700">{name}</dd>
        </dl>
      )}
      <p className="mt-4 text-xs text-zinc-500">
        Workspace id <span className="font-mono">{id}</span>
      </p>
    </Card>
  );
}
