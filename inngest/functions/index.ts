import type { InngestFunction } from "inngest";
import { deliver, deliverBacklog, deliverBatch, deliverRetries } from "./deliver";
import { recover } from "./recover";
import { resend } from "./resend";
import { sweep } from "./sweep";

/** Every function served at /api/inngest; one per file in this folder. */
export const functions: InngestFunction.Any[] = [deliverBatch, deliverRetries, deliver, deliverBacklog, sweep, resend, recover];
