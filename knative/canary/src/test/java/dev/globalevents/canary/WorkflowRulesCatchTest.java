package dev.globalevents.canary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each workflow rule catches what it is for: a copy of the workflows, actions, scripts, Makefile and docs, broken
 * one way per case, fails the rule with a message naming the fault; the unbroken copy passes them all.
 */
class WorkflowRulesCatchTest {

	static final String CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1";

	@TempDir
	Path root;
	WorkflowRules rules;

	@BeforeEach
	void copy() throws IOException {
		Path source = Repository.ROOT;
		for (String dir : List.of(".github/workflows", ".github/actions/release-region", ".github/scripts")) {
			try (Stream<Path> files = Files.walk(source.resolve(dir))) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					copy(source, file);
				}
			}
		}
		for (String file : List.of("Makefile", "README.md", "docs/release.md", "knative/canary/release-region.sh", ".github/package.json",
				".github/package-lock.json")) {
			copy(source, source.resolve(file));
		}
		for (String region : WorkflowRules.REGIONS) {
			Files.createDirectories(root.resolve("knative/overlays").resolve(region));
		}
		rules = new WorkflowRules(new Repository(root));
	}

	@Test
	void theUnbrokenCopyPassesEveryRule() {
		rules.permissions();
		rules.pinnedActions();
		rules.buildsThroughMakeOrDocumentedScripts();
		rules.secretsThroughEnvironmentOnly();
		rules.deployWaves();
		rules.regionJobs();
	}

	static Stream<Arguments> faults() {
		Consumer<WorkflowRules> permissions = WorkflowRules::permissions;
		Consumer<WorkflowRules> pinned = WorkflowRules::pinnedActions;
		Consumer<WorkflowRules> builds = WorkflowRules::buildsThroughMakeOrDocumentedScripts;
		Consumer<WorkflowRules> secrets = WorkflowRules::secretsThroughEnvironmentOnly;
		Consumer<WorkflowRules> waves = WorkflowRules::deployWaves;
		Consumer<WorkflowRules> regions = WorkflowRules::regionJobs;
		return Stream.of(
				arguments("a job without permissions", permissions, "ci.yml", "    timeout-minutes: 120\n    permissions:\n      contents: read\n",
						"    timeout-minutes: 120\n", "ci.yml job test: permissions"),
				arguments("write-all on a job", permissions, "images.yml", "    permissions:\n      contents: read\n      packages: write\n    outputs:",
						"    permissions: write-all\n    outputs:", "images.yml job push: permissions by scope"),
				arguments("a write at the workflow level", permissions, "deploy.yml", "permissions: {}\n", "permissions:\n  contents: write\n",
						"deploy.yml: the workflow-level permissions grant no write"),
				arguments("a job without a timeout", permissions, "terraform.yml", "    timeout-minutes: 60\n", "", "terraform.yml job apply: timeout-minutes"),
				arguments("an action by tag", pinned, "ci.yml", CHECKOUT, "actions/checkout@v7", "is pinned to a commit"),
				arguments("a pin without its version", pinned, "images.yml", " # v8.0.1", "", "names its version"),
				arguments("two commits of one action", pinned, "deploy.yml", CHECKOUT,
						"actions/checkout@0123456789abcdef0123456789abcdef01234567 # v7.0.1", "actions/checkout: one commit everywhere"),
				arguments("Maven run directly", builds, "ci.yml", "run: make test", "run: ./mvnw -B verify",
						"ci.yml job test step 5 builds or tests directly, not through make or a documented script: ./mvnw -B verify"),
				arguments("npm test run directly", builds, "deploy.yml", "run: npm install --no-audit --no-fund --loglevel=error", "run: npm test",
						"builds or tests directly"),
				arguments("a make target the Makefile does not document", builds, "ci.yml", "run: make test", "run: make everything",
						"targets the Makefile documents"),
				arguments("a script nobody documents", builds, "images.yml", "run: .github/scripts/push-images.sh target/release",
						"run: .github/scripts/registry-login.sh && knative/canary/other.sh", "knative/canary/other.sh"),
				arguments("a secret written into a script", secrets, "terraform.yml", "run: gh pr comment \"$PR\"",
						"run: gh pr comment ${{ secrets.PR }}", "a secret written into a script"),
				arguments("an event field written into a script", secrets, "deploy.yml", "[ \"$EVENT\" = workflow_run ]",
						"[ \"${{ github.event.workflow_run.event }}\" = push ]", "an input written into a script"),
				arguments("ap-south waiting for eu-west", waves, "deploy.yml", "    needs: [release, us-east]\n    runs-on: ${{ vars.DEPLOY_RUNNER || 'ubuntu-24.04' }}\n    timeout-minutes: 90\n    environment: production-ap-south",
						"    needs: [release, eu-west]\n    runs-on: ${{ vars.DEPLOY_RUNNER || 'ubuntu-24.04' }}\n    timeout-minutes: 90\n    environment: production-ap-south",
						"ap-south after us-east, beside eu-west"),
				arguments("the gateway before ap-south", waves, "deploy.yml", "needs: [release, us-east, eu-west, ap-south]", "needs: [release, us-east, eu-west]",
						"the gateway after every region"),
				arguments("a region left out", waves, "deploy.yml", "          region: ap-south\n", "          region: us-west\n", "deploy.yml: the regions"),
				arguments("a shared concurrency group", regions, "deploy.yml", "group: deploy-eu-west", "group: deploy-production", "eu-west concurrency group"),
				arguments("a deploy cancelled by the next", regions, "deploy.yml", "      group: deploy-us-east\n      cancel-in-progress: false",
						"      group: deploy-us-east\n      cancel-in-progress: true", "us-east: a deploy is never cancelled by the next"),
				arguments("another region's kubeconfig", regions, "deploy.yml", "secrets.KUBECONFIG_AP_SOUTH", "secrets.KUBECONFIG_US_EAST", "ap-south kubeconfig"),
				arguments("one environment for two regions", regions, "deploy.yml", "environment: production-eu-west", "environment: production",
						"eu-west environment"),
				arguments("a region deploying the branch, not the release", regions, "deploy.yml", "          ref: ${{ needs.release.outputs.sha }}\n", "",
						"us-east deploys the release's commit"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("faults")
	void everyFaultIsCaught(String fault, Consumer<WorkflowRules> rule, String workflow, String from, String to, String message) throws IOException {
		Path file = root.resolve(".github/workflows").resolve(workflow);
		String text = Files.readString(file);
		assertThat(text).as("the fault's anchor in " + workflow).contains(from);
		Files.writeString(file, text.replace(from, to));
		if (to.contains("knative/canary/other.sh")) {
			Path script = Files.writeString(root.resolve("knative/canary/other.sh"), "#!/bin/sh\n");
			Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		}

		assertThatThrownBy(() -> rule.accept(rules)).as(fault).isInstanceOf(AssertionError.class).hasMessageContaining(message);
	}

	private void copy(Path source, Path file) throws IOException {
		Path target = root.resolve(source.relativize(file));
		Files.createDirectories(target.getParent());
		Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
	}
}
