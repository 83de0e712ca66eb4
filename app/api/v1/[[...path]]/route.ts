import { unknownPath } from "@/lib/api/route";

/** A path the API does not have (`/api/v1` itself too), by any method: 404 in the API's error shape, not Next's HTML page. */
export {
  unknownPath as GET,
  unknownPath as POST,
  unknownPath as PUT,
  unknownPath as PATCH,
  unknownPath as DELETE,
  unknownPath as OPTIONS,
};
