package dev.globalevents.canary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * knative/canary/release-region.sh --render: the region's overlay with a release's images, offline (kubectl
 * kustomize). Every function's image becomes the release's digest and nothing else changes; a release that misses a
 * function or names an image by tag is refused before anything is applied.
 */
class ReleaseRegionScriptTest {

	static final Path SCRIPT = Repository.ROOT.resolve("knative/canary/release-region.sh");
	static final List<String> FUNCTIONS = List.of("validate", "aggregate", "generate", "export-metrics", "quarantine", "edge");
	static final String REGISTRY = "ghcr.io/acme/globalevents";

	@TempDir
	Path dir;

	@BeforeAll
	static void kubectl() {
		assumeTrue(Repository.kubectlAvailable(), "kubectl is not installed: the overlays were not rendered");
	}

	@ParameterizedTest
	@ValueSource(strings = { "us-east", "eu-west", "ap-south" })
	void everyImageOfTheRegionBecomesTheReleasesDigest(String region) throws Exception {
		Map<String, String> release = release();

		Result result = render(region, images(release));

		assertThat(result.exit()).as(result.errors()).isZero();
		List<JsonNode> rendered = documents(result.output());
		List<JsonNode> plain = documents(kustomize(Repository.ROOT.resolve("knative/overlays").resolve(region)));
		assertThat(names(rendered)).as("the same resources as knative/overlays/" + region).isEqualTo(names(plain));
		int services = 0;
		for (JsonNode resource : rendered) {
			if (resource.path("kind").asString().equals("Service") && resource.path("apiVersion").asString().startsWith("serving.knative.dev/")) {
				services++;
				String image = resource.at("/spec/template/spec/containers/0/image").asString();
				String function = image.substring(REGISTRY.length() + 1, image.indexOf('@'));
				assertThat(image).as(resource.at("/metadata/name").asString()).isEqualTo(REGISTRY + "/" + function + "@" + release.get(function));
				assertThat(resource.at("/metadata/namespace").asString()).isEqualTo("globalevents-" + region);
			}
		}
		assertThat(services).isEqualTo(7); // the six functions, and the edge image again as sync-relay
		assertThat(result.output()).doesNotContain("registry.example.com");
	}

	@Test
	void aReleaseMissingAFunctionIsRefused() throws Exception {
		Map<String, String> release = release();
		release.remove("export-metrics");

		Result result = render("us-east", images(release));

		assertThat(result.exit()).isEqualTo(2);
		assertThat(result.errors()).contains("has no digest for:").contains("image: registry.example.com/globalevents/export-metrics:0.1.0");
		assertThat(result.output()).isEmpty();
	}

	@Test
	void anImageByTagIsRefused() throws Exception {
		Path images = Files.writeString(dir.resolve("images.env"), "validate=" + REGISTRY + "/validate:latest\n");

		Result result = render("us-east", images);

		assertThat(result.exit()).isEqualTo(2);
		assertThat(result.errors()).contains("not <function>=<image>@sha256:<digest>: validate=" + REGISTRY + "/validate:latest");
	}

	@ParameterizedTest
	@ValueSource(strings = { "canary", "eu-central", "../base" })
	void onlyARegionOverlayIsReleased(String region) throws Exception {
		Result result = render(region, images(release()));

		assertThat(result.exit()).isEqualTo(2);
		assertThat(result.output()).isEmpty();
	}

	/** A digest per function, as images.env names them. */
	static Map<String, String> release() throws Exception {
		Map<String, String> release = new LinkedHashMap<>();
		for (String function : FUNCTIONS) {
			byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(function.getBytes(StandardCharsets.UTF_8));
			release.put(function, "sha256:" + HexFormat.of().formatHex(digest));
		}
		return release;
	}

	Path images(Map<String, String> release) throws IOException {
		StringBuilder text = new StringBuilder("# the images workflow's artifact\n");
		release.forEach((function, digest) -> text.append(function).append('=').append(REGISTRY).append('/').append(function).append('@').append(digest)
				.append('\n'));
		return Files.writeString(dir.resolve("images.env"), text);
	}

	record Result(int exit, String output, String errors) {
	}

	Result render(String region, Path images) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), "--render", region, images.toString());
		builder.environment().put("RELEASE_DIR", dir.resolve("release").toString());
		Process process = builder.start();
		CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
		String output = read(process.getInputStream());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("release-region.sh finished").isTrue();
		return new Result(process.exitValue(), output, errors.get());
	}

	static String kustomize(Path overlay) throws Exception {
		Process process = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		String output = read(process.getInputStream());
		assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0).as("kubectl kustomize " + overlay).isTrue();
		return output;
	}

	static List<JsonNode> documents(String yaml) {
		List<JsonNode> documents = new ArrayList<>();
		for (String document : yaml.split("(?m)^---$")) {
			if (!document.isBlank()) {
				documents.add(Repository.YAML.readTree(document));
			}
		}
		return documents;
	}

	static List<String> names(List<JsonNode> resources) {
		return resources.stream().map(r -> r.path("apiVersion").asString() + " " + r.path("kind").asString() + " " + r.at("/metadata/name").asString()).toList();
	}

	static String read(java.io.InputStream stream) {
		try {
			return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
