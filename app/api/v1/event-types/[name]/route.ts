import { apiRoute, otherMethods, parseBody } from "@/lib/api/route";
import { archiveEventType, getEventType, updateEventType } from "@/lib/features/event-types/service";

type Params = { name: string };

export const GET = apiRoute<Params>(async (_request, { ctx, params }) => getEventType(ctx, decodeURIComponent(params.name)));

export const PATCH = apiRoute<Params>(async (request, { ctx, params }) =>
  updateEventType(ctx, decodeURIComponent(params.name), await parseBody(request)),
);

/** Archives: messages of the type stay readable; publishing it is refused from now on. */
export const DELETE = apiRoute<Params>(async (_request, { ctx, params }) => archiveEventType(ctx, decodeURIComponent(params.name)));

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
