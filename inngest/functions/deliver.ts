import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import { deliveryRequested, deliveryRetry, endpointBacklog, endpointRetries, inngest, requestedDeliveryIds } from "@/inngest/client";
import { Coalescer } from "@/lib/db/coalesce";
import { attemptBatch, type BatchItem, type BatchOutcome } from "@/lib/delivery/attempt";
import { requestBacklog, requestDueRetries, retryRequestId, unrequest } from "@/lib/delivery/requests";
import { logger } from "@/lib/log";
import { recordAttemptSpan } from "@/lib/tracing";

/**
 * Most request events a batch run takes. An event stands for up to DELIVERIES_PER_REQUEST
 * deliveries of its endpoint (4): at most 200 a run.
 */
const BATCH_SIZE = 50;
/** How long a batch waits for its slowest requests before leaving them to finish on their own. */
const PATIENCE_MS = 1_000;

/** The retry a finished (or waiting) attempt calls for, if any (exported for tests). */
export function retryOf(outcome: BatchOutcome, traceparent?: string) {
  if (outcome.next.action !== "retry" || !outcome.endpointId) return undefined;
  return {
    ...(traceparent ? { traceparent } : {}),
    deliveryId: outcome.deliveryId,
    endpointId: outcome.endpointId,
    // An attempt that ran moves the schedule on; a wait (not due, lease held) does not.
    attempt: outcome.attemptId ? outcome.scheduleAttempt + 1 : outcome.scheduleAttempt,
    retryAt: outcome.next.retryAt,
  };
}

/** Whole seconds: an endpoint's backlog wakes up once a second at most. */
const BACKLOG_WAKE_MS = 1_000;
/** The wake-up each endpoint's backlog has coming, as far as this process knows (epoch ms). */
const backlogWakes = new LRUCache<string, number>({ max: 1000 });

/**
 * The wake-up of `endpointId`'s backlog at `at` (rounded up to a whole second), unless one this
 * process asked for comes at or before it (`force`: the chain's own next wake-up, always sent).
 */
function backlogWake(endpointId: string, at: number, force = false) {
  const wake = Math.ceil(at / BACKLOG_WAKE_MS) * BACKLOG_WAKE_MS;
  const known = backlogWakes.get(endpointId);
  if (!force && known !== undefined && known > Date.now() && known <= wake) return undefined;
  backlogWakes.set(endpointId, wake);
  return backlogWakeEvent(endpointId, wake);
}

/** The event of a wake-up of `endpointId`'s backlog at `wake` (a whole second); `own`: an id suffix (ownIdSuffix). */
function backlogWakeEvent(endpointId: string, wake: number, own = "") {
  const when = new Date(wake).toISOString();
  return endpointBacklog.create({ endpointId, at: when }, { id: `${endpointId}:backlog:${when}${own}` });
}

/** A suffix that gives a wake-up an id of its own: not dropped as a repeat of one for the same instant that may have run. */
const ownIdSuffix = () => `:${randomBytes(4).toString("hex")}`;

/**
 * The wake-ups the deliveries a batch deferred need (see deferBeyondLanes in
 * lib/delivery/attempt.ts): one per endpoint, at its earliest turn, unless its backlog already
 * wakes up by then. Each wake-up schedules the next from what is left (deliverBacklog), and
 * wake-ups for the same instant are one (by id), so an endpoint's backlog has one chain of them.
 */
export function backlogEvents(outcomes: BatchOutcome[]) {
  const earliest = new Map<string, number>();
  for (const outcome of outcomes) {
    if (outcome.next.action !== "deferred" || !outcome.endpointId) continue;
    const at = Date.parse(outcome.next.retryAt);
    earliest.set(outcome.endpointId, Math.min(at, earliest.get(outcome.endpointId) ?? at));
  }
  return [...earliest].flatMap(([endpointId, at]) => backlogWake(endpointId, at) ?? []);
}

/**
 * A retry's wake-up is left out for one at or before it only if that one is at least this far
 * ahead: one closer may already have read the endpoint's retries (another process's clock a
 * little ahead of this one's).
 */
const RETRY_WAKE_MARGIN_MS = 250;
/** Wake-ups of an endpoint's retries this process knows of, per endpoint (at most this many, the latest kept). */
const KNOWN_RETRY_WAKES = 8;
/** The wake-ups of each endpoint's retries this process sent (accepted by the executor; epoch ms, ascending). */
const retryWakes = new LRUCache<string, number[]>({ max: 1000 });

/** A wake-up of `endpointId`'s retries at `at` was accepted: retries after it may count on it. */
function rememberRetryWake(endpointId: string, at: number) {
  const now = Date.now();
  const known = (retryWakes.get(endpointId) ?? []).filter((wake) => wake > now && wake !== at);
  known.push(at);
  known.sort((a, b) => a - b);
  retryWakes.set(endpointId, known.slice(-KNOWN_RETRY_WAKES));
}

/** Whether a retry of `endpointId` at `at` can count on a wake-up this process sent (or is sending with it, `also`). */
function retryWakeComes(endpointId: string, at: number, also: number[] = []) {
  const now = Date.now();
  return [...(retryWakes.get(endpointId) ?? []), ...also].some((wake) => wake <= at && wake > now + RETRY_WAKE_MARGIN_MS);
}

/**
 * Sends `events` (none: nothing). Once they are accepted, the wake-ups of retries among them count
 * for later retries (retryWakeComes); if the send fails, the backlog wake-ups among them are
 * forgotten, so a retry of the run asks for them again.
 */
async function sendWakes(events: Array<{ name: string; data: unknown }>) {
  if (!events.length) return;
  try {
    await inngest.send(events as Parameters<typeof inngest.send>[0]);
  } catch (error) {
    for (const { name, data } of events) {
      const { endpointId, at } = data as { endpointId: string; at: string };
      if (name === endpointBacklog.name && backlogWakes.get(endpointId) === Date.parse(at)) backlogWakes.delete(endpointId);
    }
    throw error;
  }
  for (const { name, data } of events) {
    const { endpointId, at } = data as { endpointId: string; at: string };
    if (name === endpointRetries.name) rememberRetryWake(endpointId, Date.parse(at));
  }
}

export const retryEvent = (retry: NonNullable<ReturnType<typeof retryOf>>) =>
  deliveryRetry.create(retry, { id: `${retry.deliveryId}:retry:${retry.attempt}:${retry.retryAt}` });

/**
 * The wake-up of `endpointId`'s retries at `at` (exact to the millisecond). Wake-ups for the same
 * instant are one (by id), so chains merge; but one for an instant so close that a wake-up for it
 * may already have run (`fresh`: a retry that was just recorded, not the chain's own next wake-up)
 * gets an id of its own, or it would be dropped as a repeat of that one.
 */
export function retryWake(endpointId: string, at: number, fresh = false) {
  const when = new Date(at).toISOString();
  const own = fresh && at <= Date.now() + RETRY_WAKE_MARGIN_MS ? ownIdSuffix() : "";
  return endpointRetries.create({ endpointId, at: when }, { id: `${endpointId}:retries:${when}${own}` });
}

/**
 * A wake-up of `endpointId`'s retries for `at` is running: it, and any this process knew of before
 * it, no longer stand for retries scheduled from now on (it reads the retries due by `at`, at once
 * if the engine ran it early; one that reads before a retry is recorded cannot see it).
 */
function forgetRetryWakes(endpointId: string, at: number) {
  const known = retryWakes.get(endpointId);
  if (known) retryWakes.set(endpointId, known.filter((wake) => wake > at));
}

type Retry = NonNullable<ReturnType<typeof retryOf>>;

/**
 * The events that bring about these retries. A retry an attempt scheduled waits in PostgreSQL
 * (PENDING, `nextAttemptAt` its instant): its endpoint's retries wake up then (deliver-retries),
 * one wake-up for all of the endpoint's retries due by the time it runs. A retry that carries a
 * trace, or stands for a wait rather than an attempt (not due yet, another attempt holds the
 * lease, a replayed run's), has a `deliver` run of its own, as before.
 */
export function retryEvents(retries: Array<Retry & { attempted: boolean }>) {
  // A wake-up for each, less those an earlier one in this send covers: if the send fails, the run
  // fails, and its replay asks for its retries again.
  return withoutCoveredWakes(
    retries.map(({ attempted, ...retry }) =>
      !attempted || retry.traceparent ? retryEvent(retry) : retryWake(retry.endpointId, Date.parse(retry.retryAt), true),
    ),
  );
}

/** The retries `outcomes` call for, each marked with whether an attempt scheduled it. */
function retriesOf(outcomes: BatchOutcome[], traces: Map<string, string>) {
  return outcomes.flatMap((outcome) => {
    const retry = retryOf(outcome, traces.get(outcome.deliveryId));
    return retry ? [{ ...retry, attempted: outcome.attemptId !== null }] : [];
  });
}

type RetryEvent = ReturnType<typeof retryEvent> | ReturnType<typeof retryWake>;

/**
 * The retries of attempts that finished after their batch run ended, sent together: a hanging
 * endpoint's requests time out within a few ms of each other, and each used to be its own send
 * (its own request to the engine and intake transaction). While one send is on its way the retries
 * that arrive meanwhile go in the next one; a lone retry goes at once.
 */
const lateRetries = new Coalescer<RetryEvent, void>({
  maxInFlight: 1,
  joins: (group) => group.length < 500,
  run: async (events) => {
    await sendWakes(withoutCoveredWakes(events));
    return events.map(() => ({ status: "fulfilled", value: undefined }));
  },
});

/**
 * `events` less the wake-ups of retries that an earlier one in the same send (or one this process
 * sent) covers: a batch's retries (retryEvents), and late retries, which each asked for their own
 * before any of them was sent.
 */
function withoutCoveredWakes(events: RetryEvent[]): RetryEvent[] {
  const sending = new Map<string, number[]>();
  const wakeAt = (event: RetryEvent) => (event.name === endpointRetries.name ? Date.parse(event.data.at as string) : -Infinity);
  return [...events]
    .sort((a, b) => wakeAt(a) - wakeAt(b))
    .filter((event) => {
      if (event.name !== endpointRetries.name) return true;
      const { endpointId } = event.data as { endpointId: string };
      const at = wakeAt(event);
      const mine = sending.get(endpointId) ?? [];
      if (retryWakeComes(endpointId, at, mine)) return false;
      sending.set(endpointId, [...mine, at]);
      return true;
    });
}

/**
 * The wake-up a failed manual resend's kept retry needs (see AttemptOutcome.retryKept): its
 * endpoint's retries', or its backlog's for a delivery waiting there; a wake-up that read while the
 * resend held the delivery did not see it. Not before now, and with an id of its own when due.
 */
export function keptRetryWake(kept: { endpointId: string; at: string; backlog: boolean }) {
  const at = Math.max(Date.now(), Date.parse(kept.at));
  if (!kept.backlog) return retryWake(kept.endpointId, at, true);
  return backlogWakeEvent(kept.endpointId, Math.ceil(at / BACKLOG_WAKE_MS) * BACKLOG_WAKE_MS, ownIdSuffix());
}

/**
 * Every scheduled attempt of a delivery runs here, batched per endpoint (`batchEvents` keyed by
 * endpoint, one batch run per endpoint at a time): the run claims the batch's deliveries in one
 * statement, sends them in parallel within the endpoint's limits (maxConcurrency,
 * rateLimitPerSecond) and records each result as it comes (group-committed multi-row
 * statements). A hanging endpoint holds only its own lane, and that for at most PATIENCE_MS per
 * batch: slower requests finish on their own and schedule their retry themselves. Deliveries that
 * need another attempt wait in PostgreSQL for the exact instant the attempt core computed, and
 * their endpoint's retry wake-ups (`deliver-retries`) hand each back to this lane then
 * (retryEvents). HTTP failures are results, not errors; function retries are for infrastructure
 * faults only.
 *
 * No steps: what a step's memo would keep is already in PostgreSQL. Claims are lease-checked,
 * records final, and each delivery stores its position in the retry schedule, which its scheduled
 * attempts' records move on. A replayed run (retried after a fault, or resumed after its worker
 * died, however late) asks for positions that are behind: nothing is attempted again, and it asks
 * for the retries the first run scheduled, with the same event ids (the CLAIM and
 * `waitingPosition` in lib/delivery/attempt.ts). An event without a position (the sweep's or
 * recovery's) stands for the delivery's own. A step would cost each batch a second SDK call, a memo
 * and a queued call: about a sixth of the CPU per delivery (docs/performance.md).
 *
 * On Inngest the batch starts when full or at `timeout`; the local engine also starts it as soon
 * as the endpoint's previous batch ended while the engine is not busy, and lets it gather
 * (up to `timeout`) while it is (see Store.formBatches in inngest/engine/store.ts).
 */
export const deliverBatch = inngest.createFunction(
  {
    id: "deliver-batch",
    name: "Deliver webhooks (batched per endpoint)",
    triggers: [deliveryRequested],
    batchEvents: { maxSize: BATCH_SIZE, timeout: "1s", key: "event.data.endpointId" },
    concurrency: [{ key: "event.data.endpointId", limit: 1 }],
    retries: 10,
  },
  async ({ events }) => {
    const items = new Map<string, BatchItem>();
    const traces = new Map<string, string>();
    for (const event of events) {
      const { attempt, retryAt, backlog, traceparent } = event.data;
      for (const deliveryId of requestedDeliveryIds(event.data)) {
        // Two requests for one delivery (a sweep's beside a retry's): the later position decides; a
        // backlog poke only where it is the one request.
        const known = items.get(deliveryId);
        if (!known || (known.backlog && !backlog) || (attempt ?? 0) > (known.scheduleAttempt ?? 0)) {
          items.set(deliveryId, { deliveryId, scheduleAttempt: attempt, dueAt: retryAt, ...(backlog ? { backlog } : {}) });
        }
        if (traceparent) traces.set(deliveryId, traceparent);
      }
    }
    const outcomes = await attemptBatch([...items.values()], {
      patienceMs: PATIENCE_MS,
      onLate: async (outcome) => {
        recordAttemptSpan(outcome, traces.get(outcome.deliveryId));
        // Lost (a crash before this send): the delivery stays PENDING and the sweep requests it.
        for (const event of retryEvents(retriesOf([outcome], traces))) {
          await lateRetries.add(event).catch((error) => logger().error({ err: error }, "could not schedule a retry"));
        }
      },
    });
    for (const outcome of outcomes) recordAttemptSpan(outcome, traces.get(outcome.deliveryId));
    const retries = retriesOf(outcomes, traces);
    const backlog = backlogEvents(outcomes);
    // A failed send fails the run, which the engine retries: the replay finds the attempts it made
    // recorded (their schedule positions moved on) and asks for the same retries, whenever it runs.
    // (Deferred deliveries it finds not due: those wait for their retry, or the sweep's request.)
    if (retries.length || backlog.length) {
      await sendWakes([...retryEvents(retries), ...backlog]).catch(async (error: unknown) => {
        // Deliveries the batch took from the backlog (backfill) are not among the events a replay
        // sees: left unrequested, the sweep requests them, and their claim asks for the same retry.
        const backfilled = retries.flatMap((retry) => (items.has(retry.deliveryId) ? [] : [retry.deliveryId]));
        if (backfilled.length) await unrequest(backfilled).catch(() => undefined);
        throw error;
      });
    }
    return { deliveries: items.size, retries: retries.length, deferred: outcomes.filter((outcome) => outcome.next.action === "deferred").length };
  },
);

/**
 * An endpoint's backlog (deliveries its batch runs deferred because the endpoint's lane was full)
 * wakes up here: sleeps until the earliest turn, requests the deliveries whose turn came, or the
 * backlog's head as a probe (requestBacklog: their batch fills the lane's spare room from the
 * backlog), and while anything is left, wakes up again within a second or so. Not steps: requesting a
 * delivery twice (a replay) only finds it claimed or done, and wake-ups for the same instant are one
 * (by id), so chains started by several deferrals or workers merge. If a send fails the run is
 * retried; if the chain still breaks, the next deferral starts one, and the sweep requests what is
 * overdue.
 */
export const deliverBacklog = inngest.createFunction(
  { id: "deliver-backlog", name: "Request an endpoint's backlog in turn", triggers: [endpointBacklog], retries: 10 },
  async ({ event, step }) => {
    const { endpointId } = event.data;
    await step.sleepUntil("turn", event.data.at);
    const { requested, more } = await requestBacklog(endpointId);
    // Half a second on, rounded up to a whole second: chains that woke within the same second
    // ask for the same next wake-up, which is one.
    const wake = more ? backlogWake(endpointId, Date.now() + BACKLOG_WAKE_MS / 2, true) : undefined;
    if (wake) await sendWakes([wake]);
    return { requested, more, next: wake?.data.at ?? null };
  },
);

/**
 * An endpoint's retries (deliveries an attempt left PENDING with `nextAttemptAt` ahead) wake up
 * here: sleeps until `at`, exact to the millisecond (the earliest retry it was sent for), requests
 * the endpoint's retries due by then (requestDueRetries: each one's request is the one its own
 * `deliver` run would make, through the same batch lane) and asks for the next wake-up at the
 * endpoint's next retry. So retries that fall due together cost one run, where one run each (two
 * SDK calls and a sleep apiece) made a burst's retries seconds late; a lone retry still wakes
 * up at its own instant. Wake-ups for the same instant are one (by id), so the chains that several
 * batches or workers start merge. Not steps: requesting a retry twice is one request (its id). If
 * a send fails the run is retried; if the chain still breaks, any later wake-up of the endpoint
 * requests what is due by then, and the sweep what is 5 minutes overdue (its stranded rule).
 *
 * What a batch counts on (retryWakeComes) is a wake-up its own process sent: the engine runs a
 * sleep at its instant or later, and one that runs here forgets itself before it reads. With
 * several processes (workers, Inngest's serverless calls) that rests on their clocks agreeing
 * within RETRY_WAKE_MARGIN_MS.
 */
export const deliverRetries = inngest.createFunction(
  { id: "deliver-retries", name: "Request an endpoint's retries on time", triggers: [endpointRetries], retries: 10 },
  async ({ event, step }) => {
    const { endpointId } = event.data;
    await step.sleepUntil("due", event.data.at);
    // Before reading: from now on a retry this process schedules does not count on this wake-up.
    forgetRetryWakes(endpointId, Date.parse(event.data.at));
    const { requested, next } = await requestDueRetries(endpointId, new Date(event.data.at));
    const wake = next ? retryWake(endpointId, next.getTime()) : undefined;
    if (wake) await sendWakes([wake]);
    return { requested, next: wake?.data.at ?? null };
  },
);

/**
 * One run per retry that carries a trace or stands for a wait (see retryEvents): sleeps until the instant the attempt core computed (memoized, so replays
 * agree, and exact to the millisecond, where a duration is rounded to seconds by the SDK), then
 * hands the attempt to the endpoint's batch lane, which holds the endpoint's concurrency limit.
 * Two calls: the one that plans the sleep and the one after it that sends the attempt's event and
 * ends the run. The send is not a step: its event id makes a repeated send a no-op (an id seen
 * within 24 h is dropped, on the local engine as on Inngest), and a step would cost a third call.
 */
export const deliver = inngest.createFunction(
  { id: "deliver", name: "Wait for a delivery's next attempt", triggers: [deliveryRetry], retries: 10 },
  async ({ event, step }) => {
    const { deliveryId, endpointId, attempt, retryAt, traceparent } = event.data;
    await step.sleepUntil(`retry-${attempt - 1}`, retryAt);
    await inngest.send(
      deliveryRequested.create(
        { deliveryId, endpointId, attempt, retryAt, ...(traceparent ? { traceparent } : {}) },
        { id: retryRequestId(deliveryId, attempt, retryAt) },
      ),
    );
    return { deliveryId, attempt };
  },
);
