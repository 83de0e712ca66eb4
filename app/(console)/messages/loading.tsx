import { PageHeaderSkeleton, Skeleton, TableSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading messages">
      <PageHeaderSkeleton />
      <Skeleton className="mb-4 h-28 w-full rounded-xl" />
      <TableSkeleton rows={8} />
    </div>
  );
}
