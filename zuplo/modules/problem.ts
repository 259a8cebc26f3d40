// RFC 9457 problem responses, in the same shape as the functions' (urn:globalevents:problem:<code>).
export function problem(status: number, code: string, title: string, detail: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: `urn:globalevents:problem:${code}`, title, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}
