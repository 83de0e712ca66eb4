import { cn } from "./cn";

/** Pretty-prints JSON when the text is JSON; shows it as is otherwise. */
export function formatMaybeJson(text: string | null | undefined): string {
  if (!text) return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function CodeBlock({ children, className, label }: { children: string; className?: string; label?: string }) {
  return (
    // Focusable: a long body scrolls, and keyboard users must be able to scroll it too.
    <pre tabIndex={0} aria-label={label} className={cn("max-h-96 overflow-auto rounded-lg bg-zinc-950 p-3.5 font-mono text-xs leading-relaxed text-zinc-100", className)}>
      <code>{children}</code>
    </pre>
  );
}
