"use client";

import { RefreshCw, SearchX } from "lucide-react";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterBar } from "@/lib/features/messages/components/filter-bar";
import { filtersToSearch, hasNarrowingFilters, type MessageFilters } from "@/lib/features/messages/components/filters-shared";
import { MessageTable } from "@/lib/features/messages/components/message-table";
import { PublishHelp } from "@/lib/features/messages/components/publish-help";
import type { MessagePage } from "@/lib/features/messages/types";
import { useMessages } from "../api/messages";

type Props = { filters: MessageFilters; initialPage: MessagePage; eventTypes: string[]; origin: string };

export function MessagesClient({ filters, initialPage, eventTypes, origin }: Props) {
  const query = useMessages(filters, initialPage);
  const messages = query.data.pages.flatMap((page) => page.data);
  const narrowed = hasNarrowingFilters(filters);

  if (messages.length === 0 && !narrowed && filters.includeTests !== "true") return <PublishHelp origin={origin} />;

  return (
    <>
      <FilterBar key={filtersToSearch(filters)} filters={filters} eventTypes={eventTypes} />
      {messages.length === 0 ? (
        <EmptyState
          icon={SearchX}
          title="No messages match these filters"
          action={
            <Link href="/messages" className="text-sm font-medium text-brand-700 hover:underline">
              Clear filters
            </Link>
          }
        >
          Try a wider time range or another account; messages sent with “Send test” only show with “Include test sends”.
        </EmptyState>
      ) : (
        <>
          <div className="mb-2 flex items-center justify-between text-xs text-zinc-500">
            <span aria-live="polite">
              {messages.length} message{messages.length === 1 ? "" : "s"}
              {query.hasNextPage ? " loaded" : ""}
            </span>
            <Button variant="ghost" size="sm" onClick={() => query.refetch()} pending={query.isRefetching && !query.isFetchingNextPage}>
              {!(query.isRefetching && !query.isFetchingNextPage) && <RefreshCw className="size-3.5" aria-hidden />}
              Refresh
            </Button>
          </div>
          <MessageTable messages={messages} />
          {query.isError && (
            <div className="mt-3">
              <Alert tone="error">Could not load more messages: {query.error.message}</Alert>
            </div>
          )}
          {query.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <Button variant="secondary" onClick={() => query.fetchNextPage()} pending={query.isFetchingNextPage}>
                Load more
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}
