import { ZuploContext, ZuploRequest } from "@zuplo/runtime";

export default async function (request: ZuploRequest, context: ZuploContext) {
  return new Response(JSON.stringify({ status: "UP" }), { headers: { "content-type": "application/json" } });
}
