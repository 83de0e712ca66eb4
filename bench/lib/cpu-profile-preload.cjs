/**
 * Preloaded into the server's node processes by `npm run bench -- --cpu-prof`
 * (NODE_OPTIONS=--require …; Node 20 refuses --cpu-prof there). Profiles the
 * whole life of the process and writes <dir>/<role>-<pid>.cpuprofile on exit.
 */
const { Session } = require("node:inspector");
const { writeFileSync, mkdirSync } = require("node:fs");
const path = require("node:path");

const dir = process.env.HOOKLINE_BENCH_PROF_DIR;
if (dir) {
  const argv = process.argv.slice(1).join(" ");
  const role = /next(\/dist\/bin\/next|-server)?\b.*\bstart\b|next-server/.test(argv) || /\bnext\b/.test(argv) ? "next" : /serve\.ts/.test(argv) ? "launcher" : "node";
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // The in-process session dispatches synchronously, so this works inside 'exit'.
    session.post("Profiler.stop", (error, result) => {
      if (error || !result) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
  // SIGUSR2 (sent by the bench around a phase): write what was sampled so far, start afresh.
  let segment = 0;
  process.on("SIGUSR2", () => {
    const n = ++segment;
    session.post("Profiler.stop", (error, result) => {
      if (!error && result) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, `${role}-${process.pid}-segment${n}.cpuprofile`), JSON.stringify(result.profile));
      }
      session.post("Profiler.start");
    });
  });
}
