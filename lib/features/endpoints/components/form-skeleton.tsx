import { Skeleton } from "@/components/ui/skeleton";

export function EndpointFormSkeleton({ label }: { label: string }) {
  return (
    <div aria-busy="true" aria-label={label} className="space-y-8">
      <div className="space-y-2">
        <Skeleton className="h-4 w-32" />
        <Skeleton className="h-8 w-64" />
      </div>
      {[0, 1, 2].map((section) => (
        <div key={section} className="grid grid-cols-1 gap-6 border-t border-zinc-200 pt-8 lg:grid-cols-[14rem_1fr]">
          <Skeleton className="h-5 w-28" />
          <div className="space-y-3">
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-9 w-2/3" />
          </div>
        </div>
      ))}
    </div>
  );
}
