import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/openapi/document";

/** Public: the API's contract is no secret (the console's API reference page reads it). */
export async function GET() {
  return NextResponse.json(openApiDocument());
}
