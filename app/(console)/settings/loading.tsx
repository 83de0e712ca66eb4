import { PageHeaderSkeleton, Skeleton, TableSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading settings">
      <PageHeaderSkeleton titleWidth="w-32" />
      <div className="space-y-6">
        {[4, 3, 1].map((rows, index) => (
          <div key={index} className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
            <Skeleton className="mb-4 h-4 w-40" />
            <TableSkeleton rows={rows} />
          </div>
        ))}
      </div>
    </div>
  );
}
