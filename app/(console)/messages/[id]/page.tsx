import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireSessionContext } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getMessage } from "@/lib/features/messages/queries";
import { MessageDetailClient } from "@/lib/features/messages/components/message-detail-client";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Message ${(await params).id}` };
}

export default async function Page({ params }: Props) {
  const ctx = await requireSessionContext();
  const { id } = await params;
  const message = await getMessage(ctx, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  return <MessageDetailClient initial={message} canWrite={ctx.role !== "VIEWER"} />;
}
