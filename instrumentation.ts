/** Runs once when the Next.js server starts; the Node-only part lives in its own module. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}
