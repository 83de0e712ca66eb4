"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FieldError, Input, Label } from "@/components/ui/inputs";
import { createWorkspaceSchema, type CreateWorkspaceInput } from "@/lib/features/workspaces/schema";
import { useCreateWorkspace } from "../api/workspaces";
import { enterWorkspace } from "./workspace-sync";

/** Name → a new, empty workspace owned by the user, who lands on its overview. */
export function CreateWorkspaceDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { register, handleSubmit, formState, setError, reset } = useForm<CreateWorkspaceInput>({
    resolver: zodResolver(createWorkspaceSchema),
    defaultValues: { name: "" },
  });
  const create = useCreateWorkspace({
    onSuccess: (workspace) => enterWorkspace(workspace.id, "/"),
    onError: (error) => setError("name", { message: error.message }),
  });
  const dismiss = () => {
    reset();
    create.reset();
    onClose();
  };
  const error = formState.errors.name?.message;

  return (
    <Dialog open={open} onClose={dismiss} title="Create a workspace">
      <form onSubmit={handleSubmit((values) => create.mutate(values))} noValidate className="space-y-4">
        <p className="text-sm text-zinc-600">
          A workspace has its own endpoints, event types, messages, API keys, portal links and members — for example one per
          product, or staging beside production. It starts empty and you are its owner.
        </p>
        <div>
          <Label htmlFor="new-workspace-name">Name</Label>
          <Input
            id="new-workspace-name"
            autoComplete="off"
            autoFocus
            placeholder="Acme Calls (staging)"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "new-workspace-name-error" : undefined}
            {...register("name")}
          />
          <FieldError id="new-workspace-name-error">{error}</FieldError>
        </div>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={dismiss}>
            Cancel
          </Button>
          <Button type="submit" pending={create.isPending || create.isSuccess}>
            Create workspace
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
