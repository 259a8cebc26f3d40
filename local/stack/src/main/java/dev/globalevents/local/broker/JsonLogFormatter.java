package dev.globalevents.local.broker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The broker's (and the local stack's) log lines in the form the functions write theirs (Spring Boot's Logstash
 * JSON: {@code @timestamp}, {@code level}, {@code message}, {@code logger_name}, {@code thread_name}, plus
 * {@code service} and {@code region}), one object per line, so one shipper and one query read them all.
 */
public final class JsonLogFormatter extends Formatter {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final String service;
	private final String region;

	public JsonLogFormatter(String service, String region) {
		this.service = service;
		this.region = region;
	}

	/** Makes every java.util.logging (and System.Logger) line of this process a JSON line on stderr. */
	public static void install(String service, String region) {
		install(service, region, new ConsoleHandler());
	}

	/** Makes every java.util.logging (and System.Logger) line of this process a JSON line written by {@code handler}. */
	public static void install(String service, String region, Handler handler) {
		Logger root = Logger.getLogger("");
		for (Handler old : root.getHandlers()) {
			root.removeHandler(old);
		}
		handler.setLevel(Level.ALL);
		handler.setFormatter(new JsonLogFormatter(service, region));
		root.addHandler(handler);
	}

	@Override
	public String format(LogRecord record) {
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("@timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
		line.put("level", level(record.getLevel()));
		line.put("message", formatMessage(record));
		line.put("logger_name", record.getLoggerName());
		line.put("thread_name", Thread.currentThread().getName());
		line.put("service", service);
		line.put("region", region);
		if (record.getThrown() != null) {
			StringWriter trace = new StringWriter();
			record.getThrown().printStackTrace(new PrintWriter(trace));
			line.put("stack_trace", trace.toString());
		}
		try {
			return JSON.writeValueAsString(line) + System.lineSeparator();
		}
		catch (JsonProcessingException e) {
			return record.getMessage() + System.lineSeparator();
		}
	}

	/** Logback's names for java.util.logging's levels. */
	static String level(Level level) {
		int value = level.intValue();
		return value >= Level.SEVERE.intValue() ? "ERROR" : value >= Level.WARNING.intValue() ? "WARN"
				: value >= Level.INFO.intValue() ? "INFO" : value >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
	}
}
