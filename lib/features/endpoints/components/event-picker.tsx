"use client";

import { Search } from "lucide-react";
import { useMemo, useState } from "react";
import { Input } from "@/components/ui/inputs";
import { eventTypePresets } from "@/lib/features/event-types/presets";
import type { CatalogEventType } from "../types";

type Props = {
  catalog: CatalogEventType[];
  allEvents: boolean;
  onAllEventsChange: (all: boolean) => void;
  selected: string[];
  onChange: (selected: string[]) => void;
  error?: string;
};

const PRESET_NAMES = new Map(eventTypePresets.map((preset) => [preset.id, preset.name]));

/** "All events" or a hand-picked list from the catalog, searchable and grouped by the preset each type came from. */
export function EventPicker({ catalog, allEvents, onAllEventsChange, selected, onChange, error }: Props) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => {
    const known = new Set(catalog.map((type) => type.name));
    // Types chosen earlier but missing from the catalog (created through the API, or archived) stay visible.
    const orphans = selected.filter((name) => !known.has(name)).map((name) => ({ name, description: "Not in the catalog", preset: "__orphan", examplePayload: null }));
    const needle = query.trim().toLowerCase();
    const byGroup = new Map<string, CatalogEventType[]>();
    for (const type of [...catalog, ...orphans]) {
      if (needle && !type.name.toLowerCase().includes(needle) && !type.description.toLowerCase().includes(needle)) continue;
      const key = type.preset ?? "__custom";
      byGroup.set(key, [...(byGroup.get(key) ?? []), type]);
    }
    return [...byGroup.entries()].map(([key, types]) => ({
      key,
      label: key === "__custom" ? "Your event types" : key === "__orphan" ? "Not in the catalog" : (PRESET_NAMES.get(key) ?? key),
      types,
    }));
  }, [catalog, selected, query]);

  const toggle = (name: string, on: boolean) => onChange(on ? [...selected, name] : selected.filter((item) => item !== name));

  return (
    <fieldset aria-describedby={error ? "eventTypes-error" : undefined}>
      <legend className="sr-only">Events</legend>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
        {[
          { value: true, title: "All events", text: "Every event type, including ones added later." },
          { value: false, title: "Selected events", text: "Only the event types you tick below." },
        ].map((option) => (
          <label
            key={String(option.value)}
            className="flex cursor-pointer items-start gap-2.5 rounded-lg p-3 ring-1 ring-zinc-200 has-[:checked]:bg-brand-50/60 has-[:checked]:ring-2 has-[:checked]:ring-brand-500"
          >
            <input
              type="radio"
              name="allEvents"
              checked={allEvents === option.value}
              onChange={() => onAllEventsChange(option.value)}
              className="mt-0.5 accent-brand-600"
            />
            <span>
              <span className="block text-sm font-medium">{option.title}</span>
              <span className="block text-xs text-zinc-600">{option.text}</span>
            </span>
          </label>
        ))}
      </div>

      {!allEvents && (
        <div className="mt-3 rounded-lg ring-1 ring-zinc-200">
          <div className="flex items-center gap-2 border-b border-zinc-100 p-2">
            <div className="relative flex-1">
              <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-zinc-500" aria-hidden />
              <Input
                type="search"
                aria-label="Search event types"
                placeholder="Search event types"
                value={query}
                onChange={(event) => setQuery(event.target.value)}
                className="pl-8"
              />
            </div>
            <span className="text-xs whitespace-nowrap text-zinc-500 tabular-nums">{selected.length} selected</span>
          </div>
          <div className="max-h-80 overflow-y-auto p-2">
            {catalog.length === 0 && selected.length === 0 ? (
              <p className="p-3 text-sm text-zinc-600">
                The catalog is empty. <a href="/event-types" className="font-medium text-brand-700 underline">Import a preset or create event types</a>{" "}
                first, or choose “All events”.
              </p>
            ) : groups.length === 0 ? (
              <p className="p-3 text-sm text-zinc-500">No event type matches “{query}”.</p>
            ) : (
              groups.map((group) => {
                const names = group.types.map((type) => type.name);
                const allOn = names.every((name) => selected.includes(name));
                return (
                  <div key={group.key} className="mb-2 last:mb-0" role="group" aria-label={group.label}>
                    <div className="flex items-center justify-between px-2 py-1">
                      <span className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{group.label}</span>
                      <button
                        type="button"
                        className="text-xs font-medium text-brand-700 hover:underline"
                        onClick={() => onChange(allOn ? selected.filter((name) => !names.includes(name)) : [...new Set([...selected, ...names])])}
                      >
                        {allOn ? "Clear group" : "Select group"}
                      </button>
                    </div>
                    {group.types.map((type) => (
                      <label key={type.name} className="flex cursor-pointer items-start gap-2.5 rounded-md px-2 py-1.5 hover:bg-zinc-50">
                        <input
                          type="checkbox"
                          checked={selected.includes(type.name)}
                          onChange={(event) => toggle(type.name, event.target.checked)}
                          className="mt-0.5 accent-brand-600"
                        />
                        <span className="min-w-0">
                          <span className="block font-mono text-sm">{type.name}</span>
                          {type.description && <span className="block truncate text-xs text-zinc-600">{type.description}</span>}
                        </span>
                      </label>
                    ))}
                  </div>
                );
              })
            )}
          </div>
        </div>
      )}
      {error && (
        <p id="eventTypes-error" className="mt-1 text-sm text-red-600">
          {error}
        </p>
      )}
    </fieldset>
  );
}
