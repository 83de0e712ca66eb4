import { NextResponse } from "next/server";
import { apiRoute, otherMethods, parseBody } from "@/lib/api/route";
import { publishBatchRequest } from "@/lib/features/messages/publish-requests";

/** Up to 100 messages in one transaction (lib/features/messages/publish-requests.ts). API-key callers are answered before Next's router: lib/api/direct.ts. */
export const POST = apiRoute(async (request, { ctx }) => {
  const { status, body } = await publishBatchRequest(ctx, (maxBytes) => parseBody.raw(request, maxBytes), request.headers.get("idempotency-key"));
  return NextResponse.json(body, { status });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
