import { NextResponse } from "next/server";
import { apiRoute, otherMethods, parseBody } from "@/lib/api/route";
import { eventTypePresets } from "@/lib/features/event-types/presets";
import { importPresetSchema } from "@/lib/features/event-types/schema";
import { importPreset } from "@/lib/features/event-types/service";
import { parseWith } from "@/lib/validation";

export const GET = apiRoute(async () => ({
  data: eventTypePresets.map(({ id, name, description, endpoint, events }) => ({
    id,
    name,
    description,
    endpoint,
    events: events.map((event) => event.name),
  })),
  nextCursor: null,
}));

export const POST = apiRoute(async (request, { ctx }) => {
  const { preset } = parseWith(importPresetSchema, await parseBody(request));
  return NextResponse.json(await importPreset(ctx, preset), { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
