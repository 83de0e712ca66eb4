import { NextResponse } from "next/server";
import { apiRoute, parseBody, searchParams } from "@/lib/api/route";
import { assertCanWrite } from "@/lib/context";
import { env } from "@/lib/env";
import { shedIfOverloaded } from "@/lib/features/messages/admission";
import { publish } from "@/lib/features/messages/publish";
import { listMessages } from "@/lib/features/messages/queries";
import { rawMember } from "@/lib/features/messages/raw-json";

export const GET = apiRoute(async (request, { ctx }) => listMessages(ctx, searchParams(request)));

/** 202 for a new message; 200 with the original when the idempotency key was seen before. */
export const POST = apiRoute(async (request, { ctx }) => {
  // A viewer's key is refused before its body is read: a read-only key cannot make us buffer 256 KiB.
  assertCanWrite(ctx);
  shedIfOverloaded(); // an overloaded process answers 503 at once rather than late
  // The envelope may exceed the payload limit a little; publish enforces the limit on the payload itself.
  const { text, json } = await parseBody.raw(request, env().HOOKLINE_MAX_BODY_BYTES + 16 * 1024);
  const result = await publish(ctx, json as never, { rawPayload: rawMember(text, "payload") });
  const { message, deliveries } = result;
  return NextResponse.json({ ...message, deliveries }, { status: result.created ? 202 : 200 });
});
