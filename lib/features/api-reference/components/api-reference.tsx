"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

/**
 * Scalar's API reference over our own OpenAPI document. Everything it needs ships in the bundle:
 * no web fonts, telemetry, AI agent or request proxy from scalar.com (the console runs offline);
 * "Test request" calls this origin directly with the API key you paste in.
 */
export function ApiReference() {
  return (
    <div className="hookline-api-reference -mx-4 overflow-hidden rounded-lg ring-1 ring-zinc-200 sm:mx-0">
      <ApiReferenceReact
        configuration={{
          url: "/api/v1/openapi.json",
          withDefaultFonts: false,
          telemetry: false,
          agent: { disabled: true },
          showDeveloperTools: "never",
          hideDarkModeToggle: true,
          forceDarkModeState: "light",
          documentDownloadType: "json",
          hideClientButton: false,
          persistAuth: false,
          authentication: { preferredSecurityScheme: "apiKey" },
        }}
      />
    </div>
  );
}
