package dev.globalevents.canary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** A checkout of the repository around this module: the workflows and their actions, the Makefile, the docs. */
record Repository(Path root) {

	/** This repository. */
	static final Repository REAL = new Repository(Path.of(System.getProperty("repository.root", "../..")).toAbsolutePath().normalize());
	static final Path ROOT = REAL.root();
	static final YAMLMapper YAML = YAMLMapper.builder().build();

	Path workflowsDir() {
		return root.resolve(".github/workflows");
	}

	Path actionsDir() {
		return root.resolve(".github/actions");
	}

	String read(String path) {
		return read(root.resolve(path));
	}

	static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static JsonNode yaml(Path file) {
		return YAML.readTree(read(file));
	}

	JsonNode workflow(String name) {
		return yaml(workflowsDir().resolve(name));
	}

	/** Every workflow file. */
	List<Path> workflows() {
		return list(workflowsDir(), p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"));
	}

	/** Every local action's metadata ({@code .github/actions/<name>/action.yml}). */
	List<Path> actions() {
		if (!Files.isDirectory(actionsDir())) {
			return List.of();
		}
		List<Path> actions = new ArrayList<>();
		for (Path dir : list(actionsDir(), Files::isDirectory)) {
			Path action = dir.resolve("action.yml");
			if (Files.isRegularFile(action)) {
				actions.add(action);
			}
		}
		return actions;
	}

	private static List<Path> list(Path dir, Predicate<Path> filter) {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter(filter).sorted().toList();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static boolean kubectlAvailable() {
		try {
			Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
