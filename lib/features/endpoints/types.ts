/** What the endpoint pages need of an event type (a subset of the service's EventTypeDto). */
export type CatalogEventType = {
  name: string;
  description: string;
  preset: string | null;
  examplePayload: unknown;
};
