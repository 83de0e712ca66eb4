import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { PAGE_SIZE, pickFilters } from "@/lib/features/messages/components/filters-shared";
import { requireSessionContext } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { listEventTypes } from "@/lib/features/event-types/service";
import { listMessages } from "@/lib/features/messages/queries";
import { MessagesClient } from "@/lib/features/messages/components/messages-client";

export const metadata: Metadata = { title: "Messages" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function Page({ searchParams }: Props) {
  const ctx = await requireSessionContext();
  const filters = pickFilters(await searchParams);
  const requestHeaders = await headers();
  const origin = `${requestHeaders.get("x-forwarded-proto") ?? "http"}://${requestHeaders.get("host") ?? "localhost:3000"}`;

  const [eventTypes, page] = await Promise.all([
    listEventTypes(ctx, { includeArchived: true }),
    listMessages(ctx, { ...filters, limit: PAGE_SIZE } as never).catch((error: unknown) => {
      // A hand-edited URL (bad date, unknown status) is the person's mistake: say which filter, don't crash the page.
      if (error instanceof AppError && error.code === "validation_failed") return error;
      throw error;
    }),
  ]);

  return (
    <>
      <PageHeader title="Messages" description="Every event your application published, newest first, with its deliveries to each endpoint." />
      {page instanceof AppError ? (
        <Alert tone="error">
          These filters are not valid ({describe(page.details)}).{" "}
          <Link href="/messages" className="font-medium underline">
            Clear filters
          </Link>
        </Alert>
      ) : (
        <MessagesClient filters={filters} initialPage={page} eventTypes={eventTypes.map((type) => type.name)} origin={origin} />
      )}
    </>
  );
}

function describe(details: unknown): string {
  if (!Array.isArray(details)) return "check the URL";
  return details.map((issue: { path?: string; message?: string }) => `${issue.path || "filter"}: ${issue.message}`).join("; ");
}
