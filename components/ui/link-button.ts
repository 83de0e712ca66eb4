import { cn } from "@/components/ui/cn";

// The Button component renders a <button>; links that look like buttons share its classes here.
const variants = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 shadow-sm",
  secondary: "bg-white text-zinc-800 ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 shadow-sm",
  ghost: "text-zinc-700 hover:bg-zinc-100",
} as const;

export function buttonClasses(variant: keyof typeof variants = "secondary", size: "sm" | "md" = "md", className?: string) {
  return cn(
    "inline-flex items-center justify-center gap-2 rounded-md font-medium transition-colors",
    size === "sm" ? "h-8 px-3 text-sm" : "h-9 px-4 text-sm",
    variants[variant],
    className,
  );
}
