import { apiRoute, parseBody } from "@/lib/api/route";
import { sendTest } from "@/lib/endpoints/test-send";
import { rawMember } from "@/lib/messages/raw-json";

export const POST = apiRoute<{ id: string }>(async (request, { ctx, params }) => {
  const { text, json } = await parseBody.raw(request);
  return sendTest(ctx, params.id, json as never, rawMember(text, "payload"));
});
