import { PageHeaderSkeleton, TableSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading endpoints">
      <PageHeaderSkeleton />
      <TableSkeleton rows={6} />
    </div>
  );
}
