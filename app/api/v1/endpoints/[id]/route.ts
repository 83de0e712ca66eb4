import { NextResponse } from "next/server";
import { apiRoute, otherMethods, parseBody } from "@/lib/api/route";
import { deleteEndpoint, getEndpoint, updateEndpoint } from "@/lib/features/endpoints/service";

type Params = { id: string };

export const GET = apiRoute<Params>(async (_request, { ctx, params }) => getEndpoint(ctx, params.id));

export const PATCH = apiRoute<Params>(async (request, { ctx, params }) => updateEndpoint(ctx, params.id, await parseBody(request)));

export const DELETE = apiRoute<Params>(async (_request, { ctx, params }) => {
  await deleteEndpoint(ctx, params.id);
  return new NextResponse(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
