import { apiRoute, otherMethods, parseBody } from "@/lib/api/route";
import { sendTest } from "@/lib/features/endpoints/send-test";
import { rawMember } from "@/lib/features/messages/raw-json";

export const POST = apiRoute<{ id: string }>(async (request, { ctx, params }) => {
  const { text, json } = await parseBody.raw(request);
  return sendTest(ctx, params.id, json as never, rawMember(text, "payload"));
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
