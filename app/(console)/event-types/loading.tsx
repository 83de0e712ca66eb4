import { PageHeaderSkeleton, Skeleton, TableSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading event types">
      <PageHeaderSkeleton descriptionWidth="w-[28rem]" />
      <Skeleton className="mb-3 h-9 w-72" />
      <TableSkeleton rows={8} />
    </div>
  );
}
