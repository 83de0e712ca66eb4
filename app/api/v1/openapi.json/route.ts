import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/openapi/document";
import { otherMethods } from "@/lib/api/route";

/** Public: the API's contract is no secret (the console's API reference page reads it). */
export async function GET() {
  return NextResponse.json(openApiDocument());
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
