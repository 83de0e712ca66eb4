"use client";

import { Archive, ArchiveRestore, ChevronRight, FileJson, Pencil } from "lucide-react";
import { Fragment, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code";
import { cn } from "@/components/ui/cn";
import type { EventType } from "../types";
import { Table, Td } from "@/components/ui/table";

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
    <Table label="Event types" minWidth={720} columns={[{ label: "Expand", hidden: true, className: "w-8" }, "Name", "Description", "Preset", "Schema", ...(canWrite ? [{ label: "Actions", hidden: true, className: "text-right" }] : [])]}>
      {eventTypes.map((eventType) => {
        const expanded = open.has(eventType.name);
        const panelId = `et-panel-${eventType.name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
        return (
          <Fragment key={eventType.name}>
            <tr data-testid="event-type-row" className={cn("border-t border-zinc-100 first:border-t-0", eventType.archived && "bg-zinc-50/70 text-zinc-500")}>
              <Td dense className="w-8 align-top">
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
              </Td>
              <Td dense className="align-top">
                <button type="button" onClick={() => toggle(eventType.name)} className="text-left font-mono text-xs font-medium text-zinc-900 hover:underline">
                  {eventType.name}
                </button>
                {eventType.archived && (
                  <Badge tone="warning" className="ml-2">
                    Archived
                  </Badge>
                )}
              </Td>
              <Td dense className="max-w-md align-top text-zinc-600">{eventType.description || <span className="text-zinc-500">—</span>}</Td>
              <Td dense className="align-top">
                {eventType.preset ? <Badge tone="info">{presetNames[eventType.preset] ?? eventType.preset}</Badge> : <span className="text-xs text-zinc-500">Custom</span>}
              </Td>
              <Td dense className="align-top">
                {eventType.schema ? (
                  <Badge tone="success">
                    <FileJson className="size-3" aria-hidden />
                    Schema
                  </Badge>
                ) : (
                  <span className="text-xs text-zinc-500">None</span>
                )}
              </Td>
              {canWrite && (
                <Td dense className="text-right align-top whitespace-nowrap">
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
                </Td>
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
    </Table>
  );
}
