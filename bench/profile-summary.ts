/**
 * Summarises the .cpuprofile files `npm run bench -- --cpu-prof` leaves in
 * bench/results/prof-<ts>/: self time by function and by module (package or
 * app chunk), per process. Usage: npx tsx bench/profile-summary.ts <dir> [top=25]
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

const dir = process.argv[2];
const top = Number(process.argv[3] ?? 25);
if (!dir) throw new Error("usage: tsx bench/profile-summary.ts <dir with .cpuprofile files> [top]");

function moduleOf(url: string): string {
  if (!url) return "(native / VM)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return url;
  const chunk = /\.next[^/]*\/server\/(.*)$/.exec(url);
  if (chunk) return `next build: ${chunk[1]!.replace(/\[[^\]]*\]_/g, "").slice(0, 80)}`;
  return path.relative(process.cwd(), url.replace(/^file:\/\//, ""));
}

for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
  const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || "(anonymous)"} ${url ? `${moduleOf(url)}:${lineNumber + 1}` : ""}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const m = ["(idle)", "(program)", "(garbage collector)"].includes(functionName) ? functionName : moduleOf(url);
    mod.set(m, (mod.get(m) ?? 0) + us);
  }
  const idle = mod.get("(idle)") ?? 0;
  console.log(`\n## ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${((total - idle) / 1e6).toFixed(1)} s busy`);
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      if (key === "(idle)") continue;
      console.log(`  ${((us / Math.max(1, total - idle)) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
    }
  };
  print("by module (share of busy time):", mod);
  print("by function (self time):", fn);
}
