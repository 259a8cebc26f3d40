import { ZuploContext, ZuploRequest } from "@zuplo/runtime";
import { problem } from "./problem";

/** Lets through consumers whose role is one of `options.roles`. */
export default async function (request: ZuploRequest, context: ZuploContext, options: { roles: string[] }) {
  const role = request.user?.data?.role;
  if (!options.roles.includes(role)) {
    return problem(403, "forbidden", "Not allowed", `role ${role ?? "(none)"} may not do this; needs one of ${options.roles.join(", ")}`);
  }
  return request;
}
