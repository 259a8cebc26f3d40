package dev.globalevents.canary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's rules for its GitHub Actions workflows (.github/workflows) and local actions (.github/actions), on
 * one checkout: each rule fails with an assertion naming the file, the job and what is wrong. WorkflowsTest applies
 * them to this repository; WorkflowRulesCatchTest shows each one catching a fault.
 */
record WorkflowRules(Repository repo) {

	static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");
	static final String RELEASE_ACTION = "./.github/actions/release-region";
	/** A command line that builds or tests: Maven, Gradle, Jib, javac, npm's test or run scripts, node's test runner. */
	static final Pattern BUILDS_OR_TESTS = Pattern.compile(
			"(^|[\\s;&|(])(\\./)?(mvnw|mvn|gradlew?|javac|jib)(\\s|$)|\\bnpm\\s+(test|run|run-script)\\b|\\bnode\\s+--test\\b|\\bnpx\\s+(tsc|jest|vitest|mocha)\\b");
	/** make as a command: at the start of a line or after a command separator. */
	static final Pattern MAKE = Pattern.compile("(^|[;&|(]\\s*)make(\\s+(?<arguments>[^;&|)]*))?($|[;&|)])");
	static final Pattern SCRIPT = Pattern.compile("(^|[\\s;&|(\"])(\\./)?(?<path>[\\w./-]+\\.(sh|mjs|py))(?=[\\s\"]|$)");
	static final Pattern USES = Pattern.compile("^\\s*(-\\s+)?uses:\\s*(?<action>\\S+)\\s*(#\\s*(?<comment>.*))?$");
	static final Pattern PINNED = Pattern.compile("[\\w.-]+/[\\w./-]+@[0-9a-f]{40}");

	/** Permissions at the top (granting no write) and on every job (by scope, never contents: write); a timeout on every job. */
	void permissions() {
		for (Path workflow : repo.workflows()) {
			JsonNode root = Repository.yaml(workflow);
			String name = workflow.getFileName().toString();
			assertThat(root.has("permissions")).as(name + ": workflow-level permissions").isTrue();
			assertThat(writes(root.path("permissions"))).as(name + ": the workflow-level permissions grant no write (jobs ask for theirs)").isEmpty();
			for (Map.Entry<String, JsonNode> job : root.path("jobs").properties()) {
				String where = name + " job " + job.getKey();
				JsonNode permissions = job.getValue().path("permissions");
				assertThat(job.getValue().has("permissions")).as(where + ": permissions").isTrue();
				assertThat(permissions.isObject()).as(where + ": permissions by scope, not read-all/write-all").isTrue();
				assertThat(writes(permissions)).as(where + ": never writes the repository's contents").doesNotContain("contents");
				assertThat(job.getValue().has("timeout-minutes")).as(where + ": timeout-minutes").isTrue();
			}
		}
	}

	/** Every action used by a full commit SHA with its version in a comment; one SHA and one version per action. */
	void pinnedActions() {
		Map<String, String> pins = new TreeMap<>();
		Map<String, Set<String>> versions = new HashMap<>();
		List<Path> files = new ArrayList<>(repo.workflows());
		files.addAll(repo.actions());
		int uses = 0;
		for (Path file : files) {
			String name = repo.root().relativize(file).toString();
			for (String line : Repository.read(file).split("\n")) {
				Matcher matcher = USES.matcher(line);
				if (!matcher.matches()) {
					continue;
				}
				uses++;
				String action = matcher.group("action");
				if (action.startsWith("./")) {
					assertThat(repo.root().resolve(action).resolve("action.yml")).as(name + ": " + action).isRegularFile();
					continue;
				}
				assertThat(action).as(name + ": " + line.strip() + " is pinned to a commit").matches(PINNED);
				assertThat(matcher.group("comment")).as(name + ": " + line.strip() + " names its version").isNotNull().matches("v\\d+(\\.\\d+){0,2}");
				String action0 = action.substring(0, action.indexOf('@'));
				String sha = action.substring(action.indexOf('@') + 1);
				String previous = pins.putIfAbsent(action0, sha);
				assertThat(previous == null || previous.equals(sha)).as(action0 + ": one commit everywhere, not " + previous + " and " + sha).isTrue();
				versions.computeIfAbsent(action0, n -> new LinkedHashSet<>()).add(matcher.group("comment").strip());
			}
		}
		assertThat(uses).as("uses: lines read (one per line, as the YAML has them)").isEqualTo(usesInYaml(files));
		versions.forEach((action, comments) -> assertThat(comments).as(action + ": one version comment").hasSize(1));
	}

	/**
	 * Every build or test through a make target the Makefile documents ({@code ##} above it) or an executable script
	 * README.md or docs/release.md names; answers the command lines that went through them.
	 */
	List<String> buildsThroughMakeOrDocumentedScripts() {
		Map<String, String> targets = documentedTargets();
		String documentation = repo.read("README.md") + repo.read("docs/release.md");
		List<String> builds = new ArrayList<>();
		for (Map.Entry<String, String> run : runs().entrySet()) {
			for (String line : lines(run.getValue())) {
				Matcher make = MAKE.matcher(line);
				boolean viaMake = false;
				while (make.find()) {
					viaMake = true;
					List<String> goals = goals(make.group("arguments") == null ? "" : make.group("arguments"));
					assertThat(goals).as(run.getKey() + ": " + line + " names a target").isNotEmpty();
					assertThat(targets.keySet()).as(run.getKey() + ": " + line + ": targets the Makefile documents (## above them)").containsAll(goals);
				}
				Matcher script = SCRIPT.matcher(line);
				boolean viaScript = false;
				while (script.find()) {
					viaScript = true;
					String path = script.group("path");
					assertThat(repo.root().resolve(path)).as(run.getKey() + ": " + line).isRegularFile();
					assertThat(Files.isExecutable(repo.root().resolve(path))).as(path + " is executable").isTrue();
					assertThat(documentation).as(path + " is documented in README.md or docs/release.md").contains(path);
				}
				if (BUILDS_OR_TESTS.matcher(line).find()) {
					assertThat(viaMake || viaScript).as(run.getKey() + " builds or tests directly, not through make or a documented script: " + line).isTrue();
				}
				if (viaMake || viaScript) {
					builds.add(line);
				}
			}
		}
		return builds;
	}

	/** No secret, input or event field written into a script: they reach commands through env:. */
	void secretsThroughEnvironmentOnly() {
		for (Map.Entry<String, String> run : runs().entrySet()) {
			assertThat(run.getValue()).as(run.getKey() + ": a secret written into a script (pass it in env:)").doesNotContain("secrets.");
			assertThat(run.getValue()).as(run.getKey() + ": an input written into a script (pass it in env:)").doesNotContain("inputs.")
					.doesNotContain("github.event.");
		}
	}

	/** deploy.yml: one job per region, us-east before the others, eu-west and ap-south side by side, the gateway after all. */
	void deployWaves() {
		JsonNode deploy = repo.workflow("deploy.yml");
		JsonNode jobs = deploy.path("jobs");
		Map<String, String> regionJobs = regionJobs(jobs);
		String gateway = null;
		for (Map.Entry<String, JsonNode> job : jobs.properties()) {
			for (JsonNode step : job.getValue().path("steps")) {
				if (step.path("run").asString().contains("zuplo deploy")) {
					gateway = job.getKey();
				}
			}
		}
		assertThat(regionJobs.keySet()).as("deploy.yml: the regions").containsExactlyInAnyOrderElementsOf(REGIONS);
		assertThat(gateway).as("deploy.yml: the job that runs zuplo deploy").isNotNull();

		assertThat(needs(jobs, regionJobs.get("us-east"))).as("us-east waits for no other region").doesNotContainAnyElementsOf(regionJobs.values());
		assertThat(needs(jobs, regionJobs.get("eu-west"))).as("eu-west after us-east, beside ap-south").contains(regionJobs.get("us-east"))
				.doesNotContain(regionJobs.get("ap-south"));
		assertThat(needs(jobs, regionJobs.get("ap-south"))).as("ap-south after us-east, beside eu-west").contains(regionJobs.get("us-east"))
				.doesNotContain(regionJobs.get("eu-west"));
		assertThat(needs(jobs, gateway)).as("the gateway after every region").containsAll(regionJobs.values());
		for (Map.Entry<String, JsonNode> job : jobs.properties()) {
			assertThat(needs(jobs, job.getKey())).as(job.getKey() + " does not wait for the gateway").doesNotContain(gateway);
		}
	}

	/** deploy.yml: each region job in its own environment and concurrency group, with its own kubeconfig, at the release's commit. */
	void regionJobs() {
		JsonNode jobs = repo.workflow("deploy.yml").path("jobs");
		Set<String> environments = new LinkedHashSet<>();
		for (Map.Entry<String, String> region : regionJobs(jobs).entrySet()) {
			String name = region.getValue();
			JsonNode job = jobs.path(name);
			JsonNode step = release(job);
			assertThat(repo.root().resolve("knative/overlays").resolve(region.getKey())).as(region.getKey() + " overlay").isDirectory();
			assertThat(job.at("/concurrency/group").asString()).as(name + " concurrency group").isEqualTo("deploy-" + region.getKey());
			assertThat(job.at("/concurrency/cancel-in-progress").asBoolean(true)).as(name + ": a deploy is never cancelled by the next").isFalse();
			String environment = job.path("environment").isObject() ? job.at("/environment/name").asString() : job.path("environment").asString();
			assertThat(environment).as(name + " environment").endsWith(region.getKey());
			environments.add(environment);
			String secret = "KUBECONFIG_" + region.getKey().toUpperCase(Locale.ROOT).replace('-', '_');
			assertThat(step.at("/with/kubeconfig").asString()).as(name + " kubeconfig").isEqualTo("${{ secrets." + secret + " }}");
			assertThat(step.at("/with/images-run-id").asString()).as(name + " images run").contains("needs.release.outputs.run-id");
			JsonNode checkout = job.path("steps").path(0);
			assertThat(checkout.path("uses").asString()).as(name + " checks out first").startsWith("actions/checkout@");
			assertThat(checkout.at("/with/ref").asString()).as(name + " deploys the release's commit").isEqualTo("${{ needs.release.outputs.sha }}");
		}
		assertThat(environments).as("one environment per region").hasSize(REGIONS.size());
	}

	/** The command lines of every {@code run:} of every workflow and local action, keyed by where they are. */
	Map<String, String> runs() {
		Map<String, String> runs = new LinkedHashMap<>();
		for (Path workflow : repo.workflows()) {
			for (Map.Entry<String, JsonNode> job : Repository.yaml(workflow).path("jobs").properties()) {
				int i = 0;
				for (JsonNode step : job.getValue().path("steps")) {
					if (step.has("run")) {
						runs.put(workflow.getFileName() + " job " + job.getKey() + " step " + i, step.path("run").asString());
					}
					i++;
				}
			}
		}
		for (Path action : repo.actions()) {
			int i = 0;
			for (JsonNode step : Repository.yaml(action).at("/runs/steps")) {
				if (step.has("run")) {
					runs.put(repo.root().relativize(action) + " step " + i, step.path("run").asString());
				}
				i++;
			}
		}
		return runs;
	}

	/** The Makefile's targets that have a {@code ##} comment above them, with it. */
	Map<String, String> documentedTargets() {
		Map<String, String> targets = new LinkedHashMap<>();
		String[] lines = repo.read("Makefile").split("\n");
		Pattern target = Pattern.compile("^([\\w-]+):");
		for (int i = 1; i < lines.length; i++) {
			Matcher matcher = target.matcher(lines[i]);
			if (matcher.find() && lines[i - 1].startsWith("## ")) {
				targets.put(matcher.group(1), lines[i - 1]);
			}
		}
		return targets;
	}

	/** Region → the deploy job that releases it (the job using the release-region action with that region). */
	static Map<String, String> regionJobs(JsonNode jobs) {
		Map<String, String> regionJobs = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> job : jobs.properties()) {
			JsonNode step = release(job.getValue());
			if (step != null) {
				String previous = regionJobs.put(step.at("/with/region").asString(), job.getKey());
				assertThat(previous).as("one job per region: " + previous + " and " + job.getKey()).isNull();
			}
		}
		return regionJobs;
	}

	private static JsonNode release(JsonNode job) {
		for (JsonNode step : job.path("steps")) {
			if (step.path("uses").asString().equals(RELEASE_ACTION)) {
				return step;
			}
		}
		return null;
	}

	/** A script's command lines, continuations joined, comments and blank lines dropped. */
	static List<String> lines(String script) {
		List<String> lines = new ArrayList<>();
		for (String line : script.replace("\\\n", " ").split("\n")) {
			String command = line.strip();
			if (!command.isEmpty() && !command.startsWith("#")) {
				lines.add(command.replaceAll("\\s+", " "));
			}
		}
		return lines;
	}

	/** The goals of a make command line: its arguments less options (and their values) and variable assignments. */
	static List<String> goals(String arguments) {
		List<String> goals = new ArrayList<>();
		String[] words = arguments.strip().split("\\s+");
		for (int i = 0; i < words.length; i++) {
			String word = words[i];
			if (word.isEmpty() || word.contains("=")) {
				continue;
			}
			if (word.matches("-[oCfjIW]")) {
				i++;
			}
			else if (!word.startsWith("-")) {
				goals.add(word);
			}
		}
		return goals;
	}

	/** Every job {@code job} waits for, directly or through others. */
	static Set<String> needs(JsonNode jobs, String job) {
		Set<String> needs = new LinkedHashSet<>();
		List<String> queue = new ArrayList<>(List.of(job));
		while (!queue.isEmpty()) {
			JsonNode direct = jobs.path(queue.removeFirst()).path("needs");
			List<String> names = new ArrayList<>();
			if (direct.isString()) {
				names.add(direct.asString());
			}
			direct.forEach(need -> names.add(need.asString()));
			for (String name : names) {
				if (needs.add(name)) {
					queue.add(name);
				}
			}
		}
		return needs;
	}

	/** Scopes granted write ({@code write-all} counts as contents). */
	static Set<String> writes(JsonNode permissions) {
		Set<String> writes = new LinkedHashSet<>();
		if (permissions.isString()) {
			if (permissions.asString().startsWith("write")) {
				writes.add("contents");
			}
			return writes;
		}
		for (Map.Entry<String, JsonNode> scope : permissions.properties()) {
			if (scope.getValue().asString().equals("write")) {
				writes.add(scope.getKey());
			}
		}
		return writes;
	}

	/** How many {@code uses:} the YAML holds (steps and reusable-workflow jobs). */
	static int usesInYaml(List<Path> files) {
		int uses = 0;
		for (Path file : files) {
			JsonNode root = Repository.yaml(file);
			for (Map.Entry<String, JsonNode> job : root.path("jobs").properties()) {
				uses += job.getValue().has("uses") ? 1 : 0;
				for (JsonNode step : job.getValue().path("steps")) {
					uses += step.has("uses") ? 1 : 0;
				}
			}
			for (JsonNode step : root.at("/runs/steps")) {
				uses += step.has("uses") ? 1 : 0;
			}
		}
		return uses;
	}
}
