import { NextResponse } from "next/server";
import { apiRoute, otherMethods, parseBody } from "@/lib/api/route";
import { createEndpoint, listEndpoints } from "@/lib/features/endpoints/service";

/** `?account=acc_1`: that account's endpoints; `?account=` (empty): only the workspace-wide ones. */
export const GET = apiRoute(async (request, { ctx }) => {
  const account = request.nextUrl.searchParams.get("account");
  return { data: await listEndpoints(ctx, account === null ? {} : { account }), nextCursor: null };
});

/** 201 with the signing secret: the only response besides GET …/secret that carries it. */
export const POST = apiRoute(async (request, { ctx }) => NextResponse.json(await createEndpoint(ctx, await parseBody(request)), { status: 201 }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
