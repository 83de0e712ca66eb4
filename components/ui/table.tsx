import { Children, type ReactNode, type TdHTMLAttributes } from "react";
import { cn } from "./cn";
import { Skeleton } from "./skeleton";

export type TableColumn = string | { label: ReactNode; className?: string; hidden?: boolean };

type TableProps = {
  /** The table's accessible name. */
  label: string;
  columns: TableColumn[];
  /** The rows: `<tr>`s, usually with `Td` cells. */
  children?: ReactNode;
  /** Shown in place of the rows when there are none (and not loading). */
  empty?: ReactNode;
  loading?: boolean;
  loadingRows?: number;
  /** Below this width the table scrolls sideways inside its frame, never the page. */
  minWidth?: number;
  /**
   * `card`: a card of its own (a page's main table). `bleed`: the body of a `Card`, edge to
   * edge (the Card's padding is taken back). `plain`: no frame.
   */
  frame?: "card" | "bleed" | "plain";
  className?: string;
};

const frames = {
  card: "rounded-xl bg-white shadow-sm ring-1 ring-zinc-200",
  bleed: "-mx-5 -my-5",
  plain: "",
};

/** The console's one table: header, rows, empty state, loading rows, sideways scroll on narrow screens. */
export function Table({ label, columns, children, empty, loading = false, loadingRows = 3, minWidth, frame = "card", className }: TableProps) {
  const heads = columns.map((column) => (typeof column === "string" ? { label: column } : column));
  const isEmpty = !loading && Children.count(children) === 0;
  return (
    // `relative`: rows that are links (an absolutely positioned ::after over the row) stay inside
    // the scroller instead of widening the page.
    // A table that may scroll sideways is a focusable, named region, so keyboard users can scroll it.
    <div
      className={cn("relative overflow-x-auto", minWidth !== undefined && "focus-visible:outline-2 focus-visible:outline-brand-500", frames[frame], className)}
      {...(minWidth !== undefined ? { tabIndex: 0, role: "region", "aria-label": `${label}, scrolls sideways` } : {})}
    >
      <table aria-label={label} aria-busy={loading || undefined} className="w-full text-left text-sm" style={minWidth ? { minWidth } : undefined}>
        <thead className="border-b border-zinc-200 text-xs font-medium text-zinc-500">
          <tr>
            {heads.map((head, index) => (
              <th key={index} scope="col" className={cn("px-4 py-2.5 font-medium whitespace-nowrap", head.className)}>
                {head.hidden ? <span className="sr-only">{head.label}</span> : head.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {loading
            ? Array.from({ length: loadingRows }, (_, row) => (
                <tr key={row}>
                  {heads.map((_, cell) => (
                    <td key={cell} className="px-4 py-3">
                      <Skeleton className="h-4 w-full max-w-40" />
                    </td>
                  ))}
                </tr>
              ))
            : children}
          {isEmpty && empty && (
            <tr>
              <td colSpan={heads.length} className="px-4 py-8 text-center text-sm text-zinc-500">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A body cell with the table's padding; `dense` for one-line rows. */
export function Td({ dense = false, className, ...props }: TdHTMLAttributes<HTMLTableCellElement> & { dense?: boolean }) {
  return <td className={cn("px-4", dense ? "py-2.5" : "py-3", className)} {...props} />;
}
