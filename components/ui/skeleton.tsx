import { cn } from "./cn";

export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cn("animate-pulse rounded bg-zinc-200/70", className)} />;
}

export function TableSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <div aria-busy="true" aria-label="Loading" className="space-y-2">
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} className="h-10 w-full" />
      ))}
    </div>
  );
}

/** The title and description lines of a PageHeader, as every page's loading state starts. */
export function PageHeaderSkeleton({ titleWidth = "w-40", descriptionWidth = "w-96" }: { titleWidth?: string; descriptionWidth?: string }) {
  return (
    <div className="mb-8 space-y-2">
      <Skeleton className={`h-7 ${titleWidth}`} />
      <Skeleton className={`h-4 ${descriptionWidth} max-w-full`} />
    </div>
  );
}
