package dev.globalevents.local;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium (apt {@code chromium}) loading a page, letting its scripts run for a few seconds, and dumping the
 * DOM. Every host name but 127.0.0.1 resolves to nothing and background networking is off, so the browser only
 * talks to this machine.
 */
final class Chromium {

	private Chromium() {
	}

	static boolean available() {
		try {
			return new ProcessBuilder("chromium", "--version").start().waitFor(30, TimeUnit.SECONDS);
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static String dom(URI page) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(List.of("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
				"--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--disable-default-apps", "--no-pings", "--disable-domain-reliability",
				"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--virtual-time-budget=3000",
				"--user-data-dir=" + java.nio.file.Files.createTempDirectory("chromium"), "--dump-dom", page.toString()))
				.redirectError(ProcessBuilder.Redirect.DISCARD).start();
		String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("chromium did not finish");
		}
		return dom;
	}

	/** The text of the element with {@code data-metric="<metric>"} once the page has rendered it. */
	static String metric(URI page, String metric) throws IOException, InterruptedException {
		String dom = dom(page);
		Matcher value = Pattern.compile("data-metric=\"" + Pattern.quote(metric) + "\"[^>]*>([^<]*)<").matcher(dom);
		if (!value.find()) {
			throw new AssertionError("the page shows no " + metric + ":\n" + dom);
		}
		return value.group(1);
	}
}
