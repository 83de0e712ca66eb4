import { createLogger, setLogger } from "@/lib/log";

/** Routes the process logger into memory for this test file; `text()` is every line written so far. */
export function captureLogs(level = "debug") {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  setLogger(logger);
  return { logger, lines, text: () => lines.join(""), restore: () => setLogger(undefined) };
}
