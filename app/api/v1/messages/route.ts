import { NextResponse } from "next/server";
import { apiRoute, otherMethods, parseBody, searchParams } from "@/lib/api/route";
import { publishRequest } from "@/lib/features/messages/publish-requests";
import { listMessages } from "@/lib/features/messages/queries";

export const GET = apiRoute(async (request, { ctx }) => listMessages(ctx, searchParams(request)));

/** Publish (lib/features/messages/publish-requests.ts). API-key callers are answered before Next's router: lib/api/direct.ts. */
export const POST = apiRoute(async (request, { ctx }) => {
  const { status, body } = await publishRequest(ctx, (maxBytes) => parseBody.raw(request, maxBytes), request.headers.get("idempotency-key"));
  return NextResponse.json(body, { status });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
