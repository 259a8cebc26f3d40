package dev.globalevents.canary;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * This repository's workflows follow the project's rules ({@link WorkflowRules}): one way to build (make targets and
 * documented scripts), permissions on every workflow and job, actions pinned to commits, secrets through env:, and a
 * deploy in waves, us-east first, the gateway last, each region in its own environment and concurrency group. What
 * each workflow is for is checked too. actionlint (make test) checks the syntax, expressions and action inputs.
 */
class WorkflowsTest {

	final Repository repo = Repository.REAL;
	final WorkflowRules rules = new WorkflowRules(repo);

	@Test
	void thereAreTheFourWorkflows() {
		assertThat(repo.workflows()).extracting(p -> p.getFileName().toString()).contains("ci.yml", "images.yml", "deploy.yml", "terraform.yml");
	}

	@Test
	void everyWorkflowAndEveryJobStatesItsPermissions() {
		rules.permissions();
	}

	@Test
	void everyActionIsPinnedToACommitWithItsVersionBeside() {
		rules.pinnedActions();
	}

	@Test
	void everyBuildOrTestGoesThroughAMakeTargetOrADocumentedScript() {
		assertThat(rules.buildsThroughMakeOrDocumentedScripts()).as("what the workflows run")
				.contains("make test", "make -o tools build", ".github/scripts/push-images.sh target/release", ".github/scripts/registry-login.sh")
				.anyMatch(line -> line.startsWith("knative/canary/release-region.sh "));
		assertThat(repo.read("README.md")).contains("make test").contains("(docs/release.md)");
	}

	@Test
	void secretsReachCommandsThroughTheEnvironmentOnly() {
		rules.secretsThroughEnvironmentOnly();
	}

	@Test
	void theDeployGoesInWavesUsEastFirstTheGatewayLast() {
		rules.deployWaves();

		JsonNode deploy = repo.workflow("deploy.yml");
		assertThat(deploy.at("/on/workflow_run/workflows").toString()).isEqualTo("[\"images\"]");
		assertThat(deploy.at("/on/workflow_dispatch/inputs").has("sha")).isTrue();
		assertThat(deploy.at("/jobs/gateway/concurrency/group").asString()).isEqualTo("deploy-gateway");
	}

	@Test
	void eachRegionHasItsEnvironmentKubeconfigAndConcurrencyGroup() {
		rules.regionJobs();

		JsonNode action = Repository.yaml(repo.actionsDir().resolve("release-region/action.yml"));
		assertThat(action.at("/runs/steps").toString()).contains("knative/canary/release-region.sh").contains("KUBECONFIG");
	}

	@Test
	void ciRunsTheReadmesTestCommandOnEveryPushAndPullRequest() {
		JsonNode ci = repo.workflow("ci.yml");

		assertThat(ci.path("on").has("push")).isTrue();
		assertThat(ci.path("on").has("pull_request")).isTrue();
		assertThat(ci.at("/concurrency/cancel-in-progress").asString()).contains("pull_request");
		assertThat(rules.runs()).containsValue("make test");
		assertThat(ci.path("jobs").toString()).contains("actions/upload-artifact").contains("surefire-reports").contains("failsafe-reports")
				.contains("failure()").contains("\"cache\":\"maven\"").contains("\"cache\":\"npm\"");
	}

	@Test
	void imagesAreTaggedWithTheCommitRecordedByDigestAndAttested() {
		JsonNode images = repo.workflow("images.yml");

		assertThat(images.at("/on/push/branches").toString()).isEqualTo("[\"main\"]");
		assertThat(images.toString()).contains("\"IMAGE_TAG\":\"${{ github.sha }}\"").contains("actions/attest-build-provenance@").contains("sbom-path")
				.contains("\"IMAGE_REGISTRY\":\"${{ vars.IMAGE_REGISTRY }}\"");
		assertThat(repo.read(".github/scripts/push-images.sh")).contains("jib:build").contains("images.env").contains("jib-image.json")
				.contains("org.cyclonedx:cyclonedx-maven-plugin:").contains("GITHUB_STEP_SUMMARY");
	}

	@Test
	void terraformPlansOnPullRequestsAndAppliesOnlyAfterApproval() {
		JsonNode terraform = repo.workflow("terraform.yml");

		assertThat(terraform.at("/on/pull_request/paths").toString()).contains("terraform/**");
		JsonNode apply = terraform.at("/jobs/apply");
		assertThat(apply.path("needs").toString()).contains("plan");
		assertThat(apply.path("environment").asString()).isEqualTo("production-terraform");
		assertThat(apply.path("if").asString()).contains("refs/heads/main");
		assertThat(apply.at("/concurrency/group").asString()).isEqualTo(terraform.at("/jobs/plan/concurrency/group").asString());
		assertThat(terraform.at("/jobs/plan/permissions/pull-requests").asString()).isEqualTo("write");
	}

	@Test
	void makeTestLintsTheWorkflowsWithAPinnedActionlint() {
		String makefile = repo.read("Makefile");
		int start = makefile.indexOf("\ntest:");
		String test = makefile.substring(start, makefile.indexOf("\n\n", start));
		JsonNode manifest = Repository.YAML.readTree(repo.read(".github/package.json"));

		assertThat(test).contains("cd .github && npm ci").contains("node actionlint.mjs");
		assertThat(manifest.at("/devDependencies/@tktco~1node-actionlint").asString()).matches("\\d+\\.\\d+\\.\\d+");
		assertThat(repo.root().resolve(".github/package-lock.json")).isRegularFile();
		assertThat(Map.copyOf(rules.documentedTargets())).containsKeys("test", "build");
	}
}
