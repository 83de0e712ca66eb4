import { apiRoute, otherMethods, searchParams } from "@/lib/api/route";
import { listWorkspaceRuns } from "@/lib/features/runs/queries";

/** Function runs on the local engine: running, sleeping until a retry, completed or failed. */
export const GET = apiRoute(async (request, { ctx }) => listWorkspaceRuns(ctx, searchParams(request)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
