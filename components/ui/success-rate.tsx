import { cn } from "./cn";

/** A 24 h success rate: the percentage, coloured by how healthy it is, over how many attempts it counts. */
export function SuccessRate({ rate, attempts, succeeded }: { rate: number | null; attempts: number; succeeded?: number }) {
  if (rate === null) return <span className="text-zinc-500">No attempts</span>;
  const percent = Math.round(rate * 1000) / 10;
  const tone = percent >= 99 ? "text-emerald-700" : percent >= 90 ? "text-amber-700" : "text-red-700";
  return (
    <span>
      <span className={cn("font-medium tabular-nums", tone)}>{percent}%</span>
      <span className="block text-xs text-zinc-500 tabular-nums">
        {succeeded === undefined ? "of" : `${succeeded} of`} {attempts} attempt{attempts === 1 ? "" : "s"}
      </span>
    </span>
  );
}
