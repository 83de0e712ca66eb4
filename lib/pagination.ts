import { errors } from "@/lib/errors";

/**
 * Keyset cursors for lists sorted newest first by (createdAt, id). The cursor carries both
 * keys of the last row seen: ids are minted by the app and createdAt by whoever wrote the row,
 * so paging by id alone skips rows whose two orders disagree.
 */
export type Cursor = { createdAt: Date; id: string };

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): Cursor {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  if (!id || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) {
    throw errors.validation([{ path: "cursor", message: "Use the nextCursor of a previous page" }]);
  }
  return { createdAt, id };
}

/** The Prisma `where` for "after this cursor" in (createdAt desc, id desc) order. */
export function afterCursor(cursor: string | undefined) {
  if (!cursor) return {};
  const { createdAt, id } = decodeCursor(cursor);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

/** Splits the `limit + 1` rows a query fetched into a page and the cursor of the next one. */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null };
}
