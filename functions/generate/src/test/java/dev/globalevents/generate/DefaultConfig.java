package dev.globalevents.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.env.StandardEnvironment;

/** The shipped {@code application.yaml}, bound to {@link GenerateProperties} without starting Spring. */
final class DefaultConfig {

	private DefaultConfig() {
	}

	static GenerateProperties properties(Map<String, Object> overrides) {
		try {
			StandardEnvironment environment = new StandardEnvironment();
			environment.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("test", overrides));
			for (PropertySource<?> source : new YamlPropertySourceLoader().load("app", new ClassPathResource("application.yaml"))) {
				environment.getPropertySources().addLast(source);
			}
			return Binder.get(environment).bind("generate", GenerateProperties.class).get();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static GenerateProperties properties() {
		return properties(Map.of());
	}
}
