"use client";

import { Archive, ArchiveRestore, ChevronRight, FileJson, Pencil } from "lucide-react";
import { Fragment, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code";
import { cn } from "@/components/ui/cn";
import type { EventType } from "../types";

type Props = {
  eventTypes: EventType[];
  presetNames: Record<string, string>;
  canWrite: boolean;
  onEdit: (eventType: EventType) => void;
  onArchive: (eventType: EventType) => void;
};

/** Name, description, where it came from, whether it has a schema; a row opens to its example and schema. */
export function CatalogTable({ eventTypes, presetNames, canWrite, onEdit, onArchive }: Props) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (name: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  const columns = canWrite ? 6 : 5;
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
      <table className="w-full min-w-[720px] text-sm">
        <thead>
          <tr className="border-b border-zinc-200 text-left text-xs text-zinc-500">
            <th scope="col" className="w-8 py-2.5 pl-3">
              <span className="sr-only">Expand</span>
            </th>
            <th scope="col" className="px-3 py-2.5 font-medium">Name</th>
            <th scope="col" className="px-3 py-2.5 font-medium">Description</th>
            <th scope="col" className="px-3 py-2.5 font-medium">Preset</th>
            <th scope="col" className="px-3 py-2.5 font-medium">Schema</th>
            {canWrite && (
              <th scope="col" className="px-3 py-2.5 text-right font-medium">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {eventTypes.map((eventType) => {
            const expanded = open.has(eventType.name);
            const panelId = `et-panel-${eventType.name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
            return (
              <Fragment key={eventType.name}>
                <tr data-testid="event-type-row" className={cn("border-t border-zinc-100 first:border-t-0", eventType.archived && "bg-zinc-50/70 text-zinc-500")}>
                  <td className="py-2 pl-3 align-top">
                    <button
                      type="button"
                      onClick={() => toggle(eventType.name)}
                      aria-expanded={expanded}
                      aria-controls={panelId}
                      aria-label={`${expanded ? "Hide" : "Show"} example of ${eventType.name}`}
                      className="rounded p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-700"
                    >
                      <ChevronRight className={cn("size-4 transition-transform", expanded && "rotate-90")} aria-hidden />
                    </button>
                  </td>
                  <td className="px-3 py-2.5 align-top">
                    <button type="button" onClick={() => toggle(eventType.name)} className="text-left font-mono text-xs font-medium text-zinc-900 hover:underline">
                      {eventType.name}
                    </button>
                    {eventType.archived && (
                      <Badge tone="warning" className="ml-2">
                        Archived
                      </Badge>
                    )}
                  </td>
                  <td className="max-w-md px-3 py-2.5 align-top text-zinc-600">{eventType.description || <span className="text-zinc-500">—</span>}</td>
                  <td className="px-3 py-2.5 align-top">
                    {eventType.preset ? <Badge tone="info">{presetNames[eventType.preset] ?? eventType.preset}</Badge> : <span className="text-xs text-zinc-500">Custom</span>}
                  </td>
                  <td className="px-3 py-2.5 align-top">
                    {eventType.schema ? (
                      <Badge tone="success">
                        <FileJson className="size-3" aria-hidden />
                        Schema
                      </Badge>
                    ) : (
                      <span className="text-xs text-zinc-500">None</span>
                    )}
                  </td>
                  {canWrite && (
                    <td className="px-3 py-2 text-right align-top whitespace-nowrap">
                      <Button variant="ghost" size="sm" onClick={() => onEdit(eventType)} aria-label={`Edit ${eventType.name}`}>
                        <Pencil className="size-3.5" aria-hidden />
                        Edit
                      </Button>
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => onArchive(eventType)}
                        aria-label={`${eventType.archived ? "Unarchive" : "Archive"} ${eventType.name}`}
                      >
                        {eventType.archived ? <ArchiveRestore className="size-3.5" aria-hidden /> : <Archive className="size-3.5" aria-hidden />}
                        {eventType.archived ? "Unarchive" : "Archive"}
                      </Button>
                    </td>
                  )}
                </tr>
                {expanded && (
                  <tr id={panelId}>
                    <td colSpan={columns} className="border-t border-zinc-100 bg-zinc-50/60 px-4 py-4">
                      <div className={cn("grid gap-4", eventType.schema ? "lg:grid-cols-2" : undefined)}>
                        <div className="min-w-0">
                          <h3 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Example payload</h3>
                          {eventType.examplePayload ? (
                            <CodeBlock label={`Example payload of ${eventType.name}`} className="max-h-80">
                              {JSON.stringify(eventType.examplePayload, null, 2)}
                            </CodeBlock>
                          ) : (
                            <p className="text-sm text-zinc-500">No example yet{canWrite ? "; add one with Edit." : "."}</p>
                          )}
                        </div>
                        {eventType.schema && (
                          <div className="min-w-0">
                            <h3 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">JSON Schema</h3>
                            <CodeBlock label={`Schema of ${eventType.name}`} className="max-h-80">
                              {JSON.stringify(eventType.schema, null, 2)}
                            </CodeBlock>
                          </div>
                        )}
                      </div>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
