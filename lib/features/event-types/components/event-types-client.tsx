"use client";

import { Download, ListTree, Plus, Search } from "lucide-react";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { ArchiveDialog } from "@/lib/features/event-types/components/archive-dialog";
import { CatalogTable } from "@/lib/features/event-types/components/catalog-table";
import { EventTypeFormDialog, type EventTypeSubmit } from "@/lib/features/event-types/components/event-type-form";
import { ImportPresetDialog } from "@/lib/features/event-types/components/import-preset-dialog";
import type { EventType, PresetSummary } from "@/lib/features/event-types/types";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/inputs";
import { PageHeader } from "@/components/ui/page-header";
import { useEventTypeCatalog, useImportPreset, useSaveEventType, useSetArchived } from "../api/event-types";

type Props = { initial: EventType[]; presets: PresetSummary[]; canWrite: boolean };

export function EventTypesClient({ initial, presets, canWrite }: Props) {
  const query = useEventTypeCatalog(initial);
  const all = query.data;
  const [showArchived, setShowArchived] = useState(false);
  const [search, setSearch] = useState("");
  const [importOpen, setImportOpen] = useState(false);
  const [editing, setEditing] = useState<EventType | "new" | null>(null);
  const [archiving, setArchiving] = useState<EventType | null>(null);

  const presetNames = useMemo(() => Object.fromEntries(presets.map((preset) => [preset.id, preset.name])), [presets]);
  const existing = useMemo(() => new Set(all.map((eventType) => eventType.name)), [all]);
  const archivedCount = all.filter((eventType) => eventType.archived).length;
  const needle = search.trim().toLowerCase();
  const shown = all.filter(
    (eventType) =>
      (showArchived || !eventType.archived) &&
      (!needle || eventType.name.toLowerCase().includes(needle) || eventType.description.toLowerCase().includes(needle)),
  );
  const importMutation = useImportPreset();
  const save = useSaveEventType(editing && editing !== "new" ? editing.name : null);
  const setArchived = useSetArchived();

  const importPreset = (presetId: string) =>
    importMutation.mutateAsync(presetId).then(
      ({ created, skipped }) => {
        toast.success(`${created} created, ${skipped} already existed`);
        setImportOpen(false);
      },
      (error: Error) => void toast.error(error.message),
    );

  const submit: EventTypeSubmit = (values) => save.mutateAsync(values);

  const actions = canWrite ? (
    <>
      <Button variant="secondary" onClick={() => setImportOpen(true)}>
        <Download className="size-4" aria-hidden />
        Import a preset
      </Button>
      <Button onClick={() => setEditing("new")}>
        <Plus className="size-4" aria-hidden />
        Create an event type
      </Button>
    </>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Event types"
        description="Events your application publishes, with example payloads and optional JSON Schemas."
        actions={all.length ? actions : undefined}
      />
      {query.isError && (
        <div className="mb-4">
          <Alert tone="error">Could not refresh the catalog: {query.error.message}</Alert>
        </div>
      )}
      {all.length === 0 ? (
        <EmptyState icon={ListTree} title="No event types yet" action={actions && <div className="flex flex-wrap justify-center gap-2">{actions}</div>}>
          Event types name what your application publishes, like <span className="font-mono">call:completed</span> or{" "}
          <span className="font-mono">lead.created</span>, with an example payload and an optional JSON Schema. Start from a product’s
          catalog, or create your own.
          {!canWrite && " Ask an admin to add some."}
        </EmptyState>
      ) : (
        <>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <div className="relative w-full max-w-xs">
              <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-zinc-500" aria-hidden />
              <Input
                type="search"
                value={search}
                onChange={(event) => setSearch(event.target.value)}
                placeholder="Search event types"
                aria-label="Search event types"
                className="pl-8"
              />
            </div>
            <label className="flex items-center gap-2 text-sm text-zinc-700">
              <input
                type="checkbox"
                checked={showArchived}
                onChange={(event) => setShowArchived(event.target.checked)}
                className="size-4 rounded border-zinc-300"
              />
              Show archived{archivedCount ? ` (${archivedCount})` : ""}
            </label>
          </div>
          {shown.length === 0 ? (
            <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
              {needle ? `No event type matches “${search.trim()}”.` : "Every event type is archived; tick “Show archived” to see them."}
            </p>
          ) : (
            <CatalogTable eventTypes={shown} presetNames={presetNames} canWrite={canWrite} onEdit={setEditing} onArchive={setArchiving} />
          )}
          <p className="mt-2 text-xs text-zinc-500">
            {shown.length} of {all.length} event types
          </p>
        </>
      )}

      {canWrite && (
        <>
          <ImportPresetDialog open={importOpen} onClose={() => setImportOpen(false)} presets={presets} existing={existing} onImport={importPreset} />
          <EventTypeFormDialog
            open={editing !== null}
            onClose={() => setEditing(null)}
            initial={editing === "new" ? null : editing}
            submit={submit}
            onSaved={(saved) => {
              toast.success(editing === "new" ? `Created ${saved.name}` : `Saved ${saved.name}`);
              setEditing(null);
            }}
          />
          <ArchiveDialog
            target={archiving}
            onClose={() => setArchiving(null)}
            onConfirm={(target) =>
              setArchived.mutateAsync({ name: target.name, archived: !target.archived }).then(
                (saved) => {
                  toast.success(saved.archived ? `Archived ${target.name}` : `Unarchived ${target.name}`);
                  setArchiving(null);
                },
                (error: Error) => void toast.error(error.message),
              )
            }
          />
        </>
      )}
    </>
  );
}
