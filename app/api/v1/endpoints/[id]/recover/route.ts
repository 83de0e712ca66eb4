import { NextResponse } from "next/server";
import { apiRoute, otherMethods, parseBody } from "@/lib/api/route";
import { recoverEndpoint } from "@/lib/delivery/resend";

export const POST = apiRoute<{ id: string }>(async (request, { ctx, params }) =>
  NextResponse.json(await recoverEndpoint(ctx, params.id, await parseBody(request)), { status: 202 }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
