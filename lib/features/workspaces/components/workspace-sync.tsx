"use client";

import { useEffect } from "react";

const CHANNEL = "hookline-workspace";
// This tab's own BroadcastChannel objects hear its messages too: they carry the tab's id to be told apart.
const TAB = Math.random().toString(36).slice(2);

/**
 * Where to land after a switch: the same section of the console (`/endpoints/ep_…/edit` →
 * `/endpoints`), since the record on screen belongs to the workspace being left.
 */
export function sectionOf(pathname: string): string {
  const first = pathname.split("/").filter(Boolean)[0];
  return first ? `/${first}` : "/";
}

/**
 * Loads the console afresh in `target`: a full page load drops every client cache (React Query,
 * the router's) that holds the previous workspace's data, and tells the browser's other tabs
 * (which share the user's current workspace) to do the same.
 */
export function enterWorkspace(workspaceId: string, target: string) {
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ workspaceId, tab: TAB });
    channel.close();
  } catch {
    // No BroadcastChannel: other tabs catch up on their next page load.
  }
  window.location.assign(target);
}

/** Mounted once per console page: another tab switched workspaces, so this one reloads into it. */
export function WorkspaceSync({ workspaceId }: { workspaceId: string }) {
  useEffect(() => {
    if (typeof BroadcastChannel === "undefined") return;
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event: MessageEvent<{ workspaceId?: string; tab?: string }>) => {
      if (event.data.tab === TAB || !event.data.workspaceId || event.data.workspaceId === workspaceId) return;
      window.location.assign(sectionOf(window.location.pathname));
    };
    return () => channel.close();
  }, [workspaceId]);
  return null;
}
