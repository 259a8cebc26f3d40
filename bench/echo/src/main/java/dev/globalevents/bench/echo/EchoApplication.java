package dev.globalevents.bench.echo;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.function.cloudevent.CloudEventMessageBuilder;
import org.springframework.cloud.function.cloudevent.CloudEventMessageUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.messaging.Message;
import org.springframework.web.server.WebFilter;

/**
 * Benchmark baseline: the plainest Spring Cloud Function CloudEvent echo through the framework's own web adapter
 * (WebFlux), with the header lower-casing filter Spring Cloud Function 5 needs on Boot 4 to see {@code Ce-*} headers.
 */
@SpringBootApplication
public class EchoApplication {

	public static void main(String[] args) {
		SpringApplication.run(EchoApplication.class, args);
	}

	@Bean
	Function<Message<Map<String, Object>>, Message<Map<String, Object>>> echo() {
		return in -> CloudEventMessageBuilder.withData(in.getPayload())
				.setId(CloudEventMessageUtils.getId(in))
				.setSource("/bench/echo")
				.setType("dev.globalevents.bench.echoed")
				.build(CloudEventMessageUtils.DEFAULT_ATTR_PREFIX);
	}

	@Bean
	WebFilter lowerCaseHeaders() {
		return (exchange, chain) -> {
			HttpHeaders lower = new HttpHeaders();
			exchange.getRequest().getHeaders().forEach((name, values) -> lower.addAll(name.toLowerCase(Locale.ROOT), values));
			var request = new ServerHttpRequestDecorator(exchange.getRequest()) {
				@Override
				public HttpHeaders getHeaders() {
					return HttpHeaders.readOnlyHttpHeaders(lower);
				}
			};
			return chain.filter(exchange.mutate().request(request).build());
		};
	}
}
