package dev.globalevents.canary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs kubectl against the cluster of {@code KUBECONFIG}. */
public interface Kubectl {

	/** Runs {@code kubectl <arguments>} and answers its standard output; an error when it exits non-zero. */
	String run(List<String> arguments) throws IOException;

	/** The kubectl on the PATH, each call limited to two minutes. */
	static Kubectl onPath() {
		return arguments -> {
			List<String> command = new ArrayList<>(List.of("kubectl"));
			command.addAll(arguments);
			Process process = new ProcessBuilder(command).start();
			CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
			String output = read(process.getInputStream());
			try {
				if (!process.waitFor(2, TimeUnit.MINUTES)) {
					process.destroyForcibly();
					throw new IOException(String.join(" ", command) + " did not finish in 2 minutes");
				}
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
				throw new IOException("interrupted: " + String.join(" ", command), e);
			}
			if (process.exitValue() != 0) {
				throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + lastLine(errors.join()));
			}
			return output;
		};
	}

	/** kubectl's last line of errors is its summary ("Error from server (NotFound): …"); the lines above repeat it. */
	static String lastLine(String errors) {
		String[] lines = errors.strip().split("\n");
		return lines[lines.length - 1].strip();
	}

	private static String read(java.io.InputStream stream) {
		try {
			return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			return "(unreadable: " + e.getMessage() + ")";
		}
	}
}
