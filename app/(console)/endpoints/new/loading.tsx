import { EndpointFormSkeleton } from "@/components/endpoints/form-skeleton";

export default function Loading() {
  return <EndpointFormSkeleton label="Loading the form" />;
}
