import { PageHeaderSkeleton, Skeleton, TableSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading runs">
      <PageHeaderSkeleton titleWidth="w-24" descriptionWidth="w-[28rem]" />
      <Skeleton className="mb-4 h-9 w-96 max-w-full" />
      <TableSkeleton rows={8} />
    </div>
  );
}
