import { NextResponse } from "next/server";
import { apiRoute, parseBody } from "@/lib/api/route";
import { assertCanWrite } from "@/lib/context";
import { env } from "@/lib/env";
import { shedIfOverloaded } from "@/lib/features/messages/admission";
import { publishBatch } from "@/lib/features/messages/publish";
import { rawElements, rawMember } from "@/lib/features/messages/raw-json";

/**
 * Up to 100 messages in one transaction: 202 with every message (200 when each one was an
 * idempotent repeat); any refused message refuses the whole batch, its index in the details.
 */
export const POST = apiRoute(async (request, { ctx }) => {
  assertCanWrite(ctx);
  shedIfOverloaded(); // an overloaded process answers 503 at once rather than late // before the body is read, as for POST /messages
  const { text, json } = await parseBody.raw(request, env().HOOKLINE_MAX_BATCH_BYTES);
  const messages = rawMember(text, "messages");
  const rawPayloads = messages === undefined ? undefined : rawElements(messages)?.map((item) => rawMember(item, "payload"));
  const result = await publishBatch(ctx, json, { rawPayloads });
  const data = result.messages.map(({ created, message, deliveries }) => ({ ...message, created, deliveries }));
  return NextResponse.json({ data }, { status: result.created ? 202 : 200 });
});
