import { NextResponse } from "next/server";
import { apiRoute, otherMethods, parseBody, searchParams } from "@/lib/api/route";
import { createEventType, listEventTypes } from "@/lib/features/event-types/service";

export const GET = apiRoute(async (request, { ctx }) => ({
  data: await listEventTypes(ctx, { includeArchived: searchParams(request).includeArchived === "true" }),
  nextCursor: null,
}));

export const POST = apiRoute(async (request, { ctx }) => {
  const eventType = await createEventType(ctx, await parseBody(request));
  return NextResponse.json(eventType, { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
