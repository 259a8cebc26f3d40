package dev.globalevents.canary;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** .github/scripts/registry-login.sh: the registry's credentials into Docker's config, as Jib and actions/attest read them. */
class RegistryLoginScriptTest {

	static final Path SCRIPT = Repository.ROOT.resolve(".github/scripts/registry-login.sh");

	@TempDir
	Path dir;

	@Test
	void writesTheRegistrysHostKeepingOtherEntriesReadableOnlyByItsOwner() throws Exception {
		Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"docker.io\":{\"auth\":\"b2xkOm9sZA==\"}},\"credsStore\":\"\"}");

		Result result = run(Map.of("IMAGE_REGISTRY", "ghcr.io/acme/globalevents", "REGISTRY_USERNAME", "ci-bot", "REGISTRY_PASSWORD", "s3cr3t:with:colons"));

		assertThat(result.exit()).as(result.output()).isZero();
		assertThat(result.output()).contains("credentials for ghcr.io").doesNotContain("s3cr3t");
		JsonNode config = Repository.YAML.readTree(Files.readString(dir.resolve("config.json")));
		assertThat(new String(Base64.getDecoder().decode(config.at("/auths/ghcr.io/auth").asString()), StandardCharsets.UTF_8))
				.isEqualTo("ci-bot:s3cr3t:with:colons");
		assertThat(config.at("/auths/docker.io/auth").asString()).isEqualTo("b2xkOm9sZA==");
		assertThat(Files.getPosixFilePermissions(dir.resolve("config.json"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
	}

	@Test
	void aNewConfigIsReadableOnlyByItsOwner() throws Exception {
		Result result = run(Map.of("IMAGE_REGISTRY", "registry.example.com:5000/ge", "REGISTRY_USERNAME", "u", "REGISTRY_PASSWORD", "p"));

		assertThat(result.exit()).as(result.output()).isZero();
		assertThat(Files.getPosixFilePermissions(dir.resolve("config.json"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(Repository.YAML.readTree(Files.readString(dir.resolve("config.json"))).at("/auths").has("registry.example.com:5000")).isTrue();
	}

	@Test
	void refusesWithoutAPassword() throws Exception {
		Result result = run(Map.of("IMAGE_REGISTRY", "ghcr.io/acme/globalevents", "REGISTRY_USERNAME", "ci-bot"));

		assertThat(result.exit()).isNotZero();
		assertThat(result.output()).contains("REGISTRY_PASSWORD");
		assertThat(dir.resolve("config.json")).doesNotExist();
	}

	record Result(int exit, String output) {
	}

	Result run(Map<String, String> environment) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
		builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_") || name.equals("IMAGE_REGISTRY"));
		builder.environment().putAll(environment);
		builder.environment().put("DOCKER_CONFIG", dir.toString());
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), output);
	}
}
