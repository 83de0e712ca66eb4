import { NextResponse } from "next/server";
import { apiRoute, otherMethods } from "@/lib/api/route";
import { resendDeliveries } from "@/lib/delivery/resend";

export const POST = apiRoute<{ id: string }>(async (_request, { ctx, params }) =>
  NextResponse.json(await resendDeliveries(ctx, [params.id]), { status: 202 }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
