export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading" className="animate-pulse space-y-6">
      <div className="space-y-2">
        <div className="h-7 w-48 rounded bg-zinc-200" />
        <div className="h-4 w-96 max-w-full rounded bg-zinc-200/70" />
      </div>
      <div className="h-64 rounded-xl bg-zinc-200/60" />
    </div>
  );
}
