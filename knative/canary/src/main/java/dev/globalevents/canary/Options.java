package dev.globalevents.canary;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code --name value} arguments, each name known, each given at most once. */
final class Options {

	private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

	private final Map<String, String> values;

	private Options(Map<String, String> values) {
		this.values = values;
	}

	static Options parse(List<String> arguments, Set<String> known) {
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i < arguments.size(); i++) {
			String argument = arguments.get(i);
			if (!argument.startsWith("--")) {
				throw new IllegalArgumentException("expected an option, got " + argument);
			}
			String name = argument.substring(2);
			String value;
			int equals = name.indexOf('=');
			if (equals >= 0) {
				value = name.substring(equals + 1);
				name = name.substring(0, equals);
			}
			else if (i + 1 < arguments.size()) {
				value = arguments.get(++i);
			}
			else {
				throw new IllegalArgumentException("--" + name + " needs a value");
			}
			if (!known.contains(name)) {
				throw new IllegalArgumentException("unknown option --" + name);
			}
			if (values.put(name, value) != null) {
				throw new IllegalArgumentException("--" + name + " given twice");
			}
		}
		return new Options(values);
	}

	String required(String name) {
		String value = values.get(name);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("--" + name + " is required");
		}
		return value;
	}

	String get(String name, String otherwise) {
		return values.getOrDefault(name, otherwise);
	}

	double number(String name, double otherwise) {
		String value = values.get(name);
		try {
			return value == null ? otherwise : Double.parseDouble(value);
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("--" + name + " is not a number: " + value);
		}
	}

	long whole(String name, long otherwise) {
		String value = values.get(name);
		try {
			return value == null ? otherwise : Long.parseLong(value);
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("--" + name + " is not a whole number: " + value);
		}
	}

	List<Integer> percents(String name, String otherwise) {
		String value = get(name, otherwise);
		try {
			return Arrays.stream(value.split(",")).map(String::strip).map(step -> Integer.parseInt(step.replace("%", ""))).toList();
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("--" + name + " is not a list of percents such as 10,25,50,100: " + value);
		}
	}

	/** 90s, 2m, 1h, 500ms, or ISO-8601 (PT2M). */
	Duration duration(String name, String otherwise) {
		String value = get(name, otherwise).strip();
		Matcher matcher = DURATION.matcher(value);
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			return switch (matcher.group(2)) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				default -> Duration.ofHours(amount);
			};
		}
		try {
			return Duration.parse(value);
		}
		catch (RuntimeException e) {
			throw new IllegalArgumentException("--" + name + " is not a duration such as 2m or 90s: " + value);
		}
	}
}
