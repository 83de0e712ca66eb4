/**
 * Latency of sporadic traffic: publishes spaced `--gap` ms apart (default 12 s, longer than the
 * pools' 10 s idle timeout), each timed from send to its 202 and to its first attempt at a
 * loopback receiver, on the embedded default and the production build in `.next-bench`
 * (`--build` builds it first). The bench's idle probe (100 ms apart) never lets a connection go
 * idle; this shows what an app that publishes now and then sees.
 *   npx tsx --conditions=react-server bench/quiet-latency.ts [--gap 12000] [--count 6] [--build]
 */
import { startBenchApp } from "./lib/app";
import { publishOne } from "./lib/client";
import { buildApp } from "./lib/server";
import { log, parseArgs, round, sleep } from "./lib/util";

const args = parseArgs(process.argv.slice(2));
const gapMs = args.number("gap", 12_000);
const count = args.number("count", 6);
if (args.bool("build")) await buildApp();
const app = await startBenchApp("quiet-latency", { apiConcurrency: 4 });
const { api, receiver } = app;
try {
  const { data } = await api.hookline.POST("/endpoints", { body: { title: "quiet", url: receiver.url("quiet/0"), eventTypes: ["bench.quiet"] } });
  if (!data) throw new Error("could not create the endpoint");
  for (let i = 0; i < 5; i++) {
    await publishOne(api, "bench.quiet", i, 1024); // warm-up
    await sleep(200);
  }
  const samples: Array<{ publishMs: number; firstAttemptMs: number }> = [];
  for (let i = 0; i < count; i++) {
    await sleep(gapMs);
    const published = await publishOne(api, "bench.quiet", 100 + i, 1024);
    let receipt;
    while (!(receipt = receiver.receipts("quiet/0").get(published.id))) await sleep(2);
    samples.push({ publishMs: round(published.latencyMs, 1), firstAttemptMs: round(receipt.at - published.sentAt, 1) });
    log(`${i + 1}/${count}: publish ${samples.at(-1)!.publishMs} ms, first attempt ${samples.at(-1)!.firstAttemptMs} ms`);
  }
  console.log(JSON.stringify({ gapMs, samples }));
} finally {
  await app.stop();
}
