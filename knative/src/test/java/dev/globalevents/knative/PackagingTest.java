package dev.globalevents.knative;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.Container;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The places that say how a function is packaged and run agree: each function's {@code func.yaml} with its Knative
 * Service, the Jib image (name, Java 25 base, JVM flags) with the Services, and the JVM options of the local stack
 * ({@code local/lib.sh}) with the ConfigMap.
 */
class PackagingTest {

	static final Path ROOT = Rendered.KNATIVE.getParent();
	static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

	static Rendered base;

	@BeforeAll
	static void render() {
		Assumptions.assumeTrue(Rendered.kubectlAvailable(), "kubectl is not installed: packaging not checked against the manifests");
		base = Rendered.base();
	}

	@ParameterizedTest
	@ValueSource(strings = { "validate", "aggregate", "generate", "export-metrics", "quarantine" })
	void funcYamlAgreesWithTheKnativeService(String function) throws Exception {
		JsonNode func = YAML.readTree(ROOT.resolve("functions").resolve(function).resolve("func.yaml").toFile());
		Service service = base.named(Service.class, function).orElseThrow();
		Map<String, String> annotations = service.getSpec().getTemplate().getMetadata().getAnnotations();
		Container container = service.getSpec().getTemplate().getSpec().getContainers().getFirst();

		assertThat(func.get("name").asText()).isEqualTo(function);
		assertThat(func.get("runtime").asText()).isEqualTo("springboot");
		assertThat(func.at("/deploy/image").asText()).isEqualTo(container.getImage());
		assertThat(func.at("/deploy/options/scale/min").asText()).isEqualTo(annotations.get("autoscaling.knative.dev/min-scale"));
		assertThat(func.at("/deploy/options/scale/max").asText()).isEqualTo(annotations.get("autoscaling.knative.dev/max-scale"));
		assertThat(func.at("/deploy/options/scale/target").asText()).isEqualTo(annotations.get("autoscaling.knative.dev/target"));
		assertThat(func.at("/deploy/options/resources/limits/memory").asText())
				.isEqualTo(container.getResources().getLimits().get("memory").toString());
		assertThat(func.at("/deploy/options/resources/requests/cpu").asText())
				.isEqualTo(container.getResources().getRequests().get("cpu").toString());
		assertThat(func.at("/deploy/healthEndpoints/readiness").asText()).isEqualTo(container.getReadinessProbe().getHttpGet().getPath());
		assertThat(func.at("/deploy/healthEndpoints/liveness").asText()).isEqualTo(container.getLivenessProbe().getHttpGet().getPath());
		assertThat(func.at("/build/buildEnvs/0/value").asText()).isEqualTo("25");
		assertThat(env(func, "JAVA_TOOL_OPTIONS")).isEqualTo(base.configMap(configMap(container)).get("JAVA_TOOL_OPTIONS"));
	}

	@Test
	void imagesAreBuiltByJibOnJava25WithTheJvmOptionsTheServicesAndTheLocalStackUse() throws Exception {
		Document root = xml(ROOT.resolve("pom.xml"));
		String registry = text(root, "image.registry");
		String tag = text(root, "image.tag");
		// the image starts /opt/java/bin/java <the functions' JVM options> -XX:AOTCache=/app/app.aot -jar /app/<jar>
		List<String> entrypoint = new ArrayList<>();
		NodeList args = ((Element) root.getElementsByTagName("entrypoint").item(0)).getElementsByTagName("arg");
		for (int i = 0; i < args.getLength(); i++) {
			entrypoint.add(args.item(i).getTextContent().trim());
		}
		assertThat(entrypoint.getFirst()).isEqualTo("/opt/java/bin/java");
		assertThat(entrypoint.subList(entrypoint.size() - 3, entrypoint.size()))
				.containsExactly("-XX:AOTCache=/app/app.aot", "-jar", "/app/${project.build.finalName}.jar");
		String jvmOptions = String.join(" ", entrypoint.subList(1, entrypoint.size() - 3));
		// /opt/java is the runtime the cache was trained on and /app the app it was trained with (functions/aot-cache.sh);
		// the base brings no Java of its own
		Map<String, String> extra = new java.util.LinkedHashMap<>();
		NodeList paths = ((Element) root.getElementsByTagName("extraDirectories").item(0)).getElementsByTagName("path");
		for (int i = 0; i < paths.getLength(); i++) {
			Element path = (Element) paths.item(i);
			extra.put(path.getElementsByTagName("into").item(0).getTextContent(), path.getElementsByTagName("from").item(0).getTextContent());
		}
		assertThat(extra).containsExactly(Map.entry("/opt/java", "${maven.multiModuleProjectDirectory}/target/java-runtime"),
				Map.entry("/app", "${project.build.directory}/app"));
		assertThat(Files.readString(ROOT.resolve("functions/java-runtime.sh"))).contains("runtime=$here/../target/java-runtime");
		assertThat(text(root, "image.base")).startsWith("gcr.io/distroless/base-debian12");

		for (Service service : base.all(Service.class)) {
			Container container = service.getSpec().getTemplate().getSpec().getContainers().getFirst();
			String name = container.getImage().replaceAll(".*/", "").replaceAll(":.*", ""); // sync-relay runs the edge's image
			Document pom = xml(ROOT.resolve("functions").resolve(name).resolve("pom.xml"));
			assertThat(pom.getDocumentElement().getElementsByTagName("artifactId").item(1).getTextContent()).isEqualTo(name);
			assertThat(Files.readString(ROOT.resolve("functions").resolve(name).resolve("pom.xml"))).contains("jib-maven-plugin");
			assertThat(container.getImage()).isEqualTo(registry + "/" + name + ":" + tag);
			assertThat(base.configMap(configMap(container)).get("JAVA_TOOL_OPTIONS")).isEqualTo(jvmOptions);
		}
		Matcher local = Pattern.compile("FUNCTION_JVM_OPTS=\\$\\{FUNCTION_JVM_OPTS:-\"([^\"]+)\"}").matcher(Files.readString(ROOT.resolve("local/lib.sh")));
		assertThat(local.find()).isTrue();
		assertThat(local.group(1)).isEqualTo(jvmOptions);
		// the AOT cache is trained with the same options (a cache made under other options may be refused or hold less)
		assertThat(text(root, "function.jvm.options")).isEqualTo(jvmOptions);
	}

	@ParameterizedTest
	@ValueSource(strings = { "validate", "aggregate", "generate", "export-metrics", "quarantine", "edge" })
	void everyFunctionIsPackagedWithItsAotCache(String function) throws Exception {
		String pom = Files.readString(ROOT.resolve("functions").resolve(function).resolve("pom.xml"));
		assertThat(pom).contains("<artifactId>exec-maven-plugin</artifactId>");
		String root = Files.readString(ROOT.resolve("pom.xml"));
		assertThat(root).contains("functions/aot-cache.sh</executable>")
				.contains("<commandlineArgs>${project.build.directory}/${project.build.finalName}.jar ${function.jvm.options}</commandlineArgs>");
	}

	private static String configMap(Container container) {
		return container.getEnvFrom().getFirst().getConfigMapRef().getName();
	}

	private static String env(JsonNode func, String name) {
		for (JsonNode env : func.at("/run/envs")) {
			if (env.get("name").asText().equals(name)) {
				return env.get("value").asText();
			}
		}
		return null;
	}

	private static Document xml(Path path) throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File(path.toString()));
	}

	private static String text(Document document, String tag) {
		return ((Element) document.getElementsByTagName(tag).item(0)).getTextContent().trim();
	}
}
