package dev.globalevents.local;

import java.net.URI;

/** What {@code make run} prints once the stack is ready: where everything is and one command to try it. */
final class Console {

	private Console() {
	}

	static void print(LocalStack stack) {
		Gateway gateway = stack.gateway();
		System.out.println("  live page   " + stack.dashboard().url());
		System.out.println("  prometheus  " + stack.prometheus().url() + "  (the functions but edge, the brokers; rules: " + PrometheusServer.RULES + ")");
		if (gateway != null) {
			System.out.println("  gateway     " + gateway.url() + "  (Zuplo; API keys: " + Gateway.LOCAL_KEY + " sends, " + Gateway.ADMIN_KEY
					+ " also reads /v1/global, /v1/regions/<region>/windows and runs replays)");
		}
		System.out.println("  traces      " + stack.zipkin().ui() + "  (Zipkin; the gateway's answer names each event's trace in x-trace-id: "
				+ stack.zipkin().ui() + "traces/<x-trace-id>)");
		System.out.println("  load        " + switch (stack.options().traffic()) {
			case STEADY -> "steady: each region's generate paces its configured rate (LOCAL_TRAFFIC=burst|off to change)";
			case BURST -> "bursts: each region's generate sends a minute of events at once, every minute";
			case OFF -> "none: no synthetic events (LOCAL_TRAFFIC=off); only what you send";
		});
		int cores = Runtime.getRuntime().availableProcessors();
		if (stack.options().regions().size() > 1 && cores <= 2) {
			// measured on 2 cores: the three regions' JVMs warm up under the load for minutes, a first answer can take over 5 s
			System.out.println("  note        " + stack.options().regions().size() + " regions on " + cores + " cores: for the first minutes the JVMs"
					+ " warm up under the load and an answer can take seconds (a 502 outcome-unknown says: send the same Ce-Id again);"
					+ " REGIONS=us-east make run runs one region");
		}
		stack.brokers().forEach((region, broker) -> {
			System.out.println("  " + region + "  broker " + broker.ingress());
			for (FunctionProcess f : stack.functions()) {
				if (f.label().startsWith(region + "/")) {
					URI route = stack.route(region, f.service());
					System.out.printf("      %-15s %s%s%n", f.service(), route != null ? route : f.url(),
							route != null ? "  (route; revision " + f.revision() + " on " + f.url() + ", /api/services/" + region + "/" + f.service() + ")" : "");
				}
			}
		});
		String first = stack.options().regions().getFirst();
		String target = gateway != null ? gateway.url().resolve("/v1/events") + "' -H 'Authorization: Bearer " + Gateway.LOCAL_KEY
				+ "' -H 'x-region: " + first : stack.brokers().get(first).ingress().toString();
		System.out.println("""

				Send your own CloudEvent through %s:
				  curl -si '%s' -H 'Ce-Specversion: 1.0' -H "Ce-Id: $(cat /proc/sys/kernel/random/uuid)" -H 'Ce-Source: /regions/%s/instances/cli' -H 'Ce-Type: order.created' -H "Ce-Time: $(date -u +%%FT%%TZ)" -H 'Content-Type: application/json' -d '{"order_id":"o-1","customer_id":"c-1","amount":12.5,"currency":"EUR","items":1}'
				Ctrl-C stops everything.""".formatted(gateway != null ? "the gateway" : first + "'s broker", target, first));
	}
}
