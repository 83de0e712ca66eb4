import { EndpointFormSkeleton } from "@/lib/features/endpoints/components/form-skeleton";

export default function Loading() {
  return <EndpointFormSkeleton label="Loading the form" />;
}
