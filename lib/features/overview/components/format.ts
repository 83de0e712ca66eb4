import type { SeriesBucket } from "@/lib/features/overview/queries";

export function successRate(buckets: SeriesBucket[]): { total: number; rate: number | null } {
  const succeeded = buckets.reduce((sum, bucket) => sum + bucket.succeeded, 0);
  const total = buckets.reduce((sum, bucket) => sum + bucket.succeeded + bucket.failed, 0);
  return { total, rate: total ? succeeded / total : null };
}

export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  // 99.95 % must not round up to a reassuring 100 %.
  const percent = Math.floor(rate * 1000) / 10;
  return `${percent % 1 === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}
