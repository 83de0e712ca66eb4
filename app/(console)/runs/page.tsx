import { Activity, ExternalLink } from "lucide-react";
import type { Metadata } from "next";
import { RunsClient } from "@/lib/features/runs/components/runs-client";
import type { RunsPage } from "@/lib/features/runs/types";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireSessionContext } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { listWorkspaceRuns } from "@/lib/features/runs/queries";

export const metadata: Metadata = { title: "Runs" };

const DESCRIPTION = "Function runs on the built-in engine: deliveries in flight, sleeping until their next retry, completed or failed.";

export default async function Page() {
  const ctx = await requireSessionContext();
  let initial: RunsPage;
  try {
    initial = JSON.parse(JSON.stringify(await listWorkspaceRuns(ctx, { limit: 50 }))) as RunsPage;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "not_available") throw error;
    const base = env().INNGEST_BASE_URL;
    return (
      <>
        <PageHeader title="Runs" description={DESCRIPTION} />
        <EmptyState
          icon={Activity}
          title="Runs are in the Inngest dashboard"
          action={
            <a
              href={base ?? "https://app.inngest.com"}
              target="_blank"
              rel="noreferrer"
              className="inline-flex h-9 items-center gap-2 rounded-md bg-white px-4 text-sm font-medium text-zinc-800 shadow-sm ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50"
            >
              Open the Inngest dashboard <ExternalLink className="size-3.5" aria-hidden />
            </a>
          }
        >
          This installation sends its functions to {base ? <span className="font-mono">{base}</span> : "Inngest Cloud"}, not to the built-in engine, so
          runs, their steps and retries are listed there. Deliveries and their attempts are still on the Messages and Endpoints pages.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Runs" description={DESCRIPTION} />
      <RunsClient initial={initial} />
    </>
  );
}
