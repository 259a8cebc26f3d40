package dev.globalevents.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Settings every function shares ({@code function-defaults.properties}: the HTTP server's limits on headers and
 * the request line), added as the lowest-precedence property source, so a function's own {@code application.yaml}
 * or an environment variable still wins.
 */
public final class FunctionDefaults implements EnvironmentPostProcessor {

	static final String FILE = "function-defaults.properties";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		try {
			environment.getPropertySources().addLast(new ResourcePropertySource("globalevents function defaults", new ClassPathResource(FILE)));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
