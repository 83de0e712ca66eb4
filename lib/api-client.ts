/**
 * The console's one error shape for calls to the server: the API's `{"error": {code, message,
 * details}}` as an Error. `status` is the HTTP status for /api/v1 reads, null for server actions
 * (see `lib/actions/unwrap.ts`). Forms map `details` (zod issues) back onto their fields.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number | null,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Browser-side fetch of /api/v1 with the session cookie; failures throw `ApiError`. */
export async function apiFetch<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...init?.headers },
    cache: "no-store",
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, body?.error?.code ?? "error", body?.error?.message ?? `Request failed (${response.status})`, body?.error?.details);
  }
  return body as T;
}

/**
 * What a feature's mutation hook accepts from its caller (toasts, local state): everything but
 * the call itself, which the hook owns with its cache invalidation.
 */
export type MutationConfig<TData, TVariables = void> = {
  onSuccess?: (data: TData, variables: TVariables) => void;
  onError?: (error: Error, variables: TVariables) => void;
};

export type Issue = { path?: string; message?: string };

/** Any error a hook threw, read as the one shape forms need: code, safe message and the zod issues (for fields). */
export function readError(error: unknown, fallback: string): { code: string; message: string; issues: Issue[] } {
  if (error instanceof ApiError) return { code: error.code, message: error.message, issues: Array.isArray(error.details) ? (error.details as Issue[]) : [] };
  return { code: "error", message: error instanceof Error ? error.message : fallback, issues: [] };
}
