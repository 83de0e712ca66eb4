"use client";

import { CodeBlock } from "@/components/ui/code";
import { CopyButton } from "@/components/ui/copy-button";
import { Tabs } from "@/components/ui/tabs";
import { prettyJsonText } from "./pretty-json";

/** Pretty for reading; raw is the stored text, byte for byte what every endpoint receives (and what signatures cover). */
export function MessageBody({ body }: { body: string }) {
  return (
    <div className="relative">
      <div className="absolute top-0 right-0">
        <CopyButton value={body} label="Copy raw" />
      </div>
      <Tabs
        label="Body format"
        tabs={[
          { id: "pretty", label: "Pretty", content: <CodeBlock label="Pretty body" className="max-h-[32rem]">{prettyJsonText(body)}</CodeBlock> },
          {
            id: "raw",
            label: "Raw",
            content: (
              <>
                <CodeBlock label="Raw body" className="max-h-[32rem] whitespace-pre-wrap break-all">{body}</CodeBlock>
                <p className="mt-2 text-xs text-zinc-500">
                  Exactly as stored and sent ({new TextEncoder().encode(body).length.toLocaleString()} bytes); signatures are computed over this
                  text.
                </p>
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
