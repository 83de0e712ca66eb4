import { NextResponse } from "next/server";
import { apiRoute, parseBody } from "@/lib/api/route";
import { createEndpoint, listEndpoints } from "@/lib/features/endpoints/service";

export const GET = apiRoute(async (_request, { ctx }) => ({ data: await listEndpoints(ctx), nextCursor: null }));

/** 201 with the signing secret: the only response besides GET …/secret that carries it. */
export const POST = apiRoute(async (request, { ctx }) => NextResponse.json(await createEndpoint(ctx, await parseBody(request)), { status: 201 }));
