package dev.globalevents.architecture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structure every module keeps, checked on the compiled classes of all modules: functions do not depend on each
 * other, the event model depends on no runtime, the runtime on no function, and no package cycle exists anywhere.
 */
class ArchitectureTest {

	static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
	static final List<String> MODULES = List.of("functions/events", "functions/runtime", "functions/validate", "functions/aggregate",
			"functions/generate", "functions/export-metrics", "functions/quarantine", "local/stack");
	static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		List<Path> dirs = MODULES.stream().map(m -> ROOT.resolve(m).resolve("target/classes")).toList();
		dirs.forEach(dir -> assertThat(dir).as("compiled classes of " + dir + " (build the modules first)").isDirectory());
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
				.importPaths(dirs.toArray(Path[]::new));
		assertThat(classes.size()).isGreaterThan(100);
	}

	@Test
	void noFunctionDependsOnAnotherFunction() {
		slices().matching("dev.globalevents.(validate|aggregate|generate|export|quarantine)..").should().notDependOnEachOther()
				.check(classes);
	}

	@Test
	void theEventModelDependsOnJacksonAndJsonSchemaOnlyNotOnTheRuntime() {
		noClasses().that().resideInAPackage("dev.globalevents.events..").should().dependOnClassesThat()
				.resideInAnyPackage("dev.globalevents.runtime..", "org.springframework..", "io.lettuce..", "reactor..",
						"io.micrometer..", "io.netty..")
				.check(classes);
	}

	@Test
	void theRuntimeAndTheModelDependOnNoFunctionAndTheFunctionsNotOnTheLocalStack() {
		noClasses().that().resideInAnyPackage("dev.globalevents.events..", "dev.globalevents.runtime..").should().dependOnClassesThat()
				.resideInAnyPackage("dev.globalevents.validate..", "dev.globalevents.aggregate..", "dev.globalevents.generate..",
						"dev.globalevents.export..", "dev.globalevents.quarantine..", "dev.globalevents.local..")
				.check(classes);
		noClasses().that().resideInAnyPackage("dev.globalevents.validate..", "dev.globalevents.aggregate..", "dev.globalevents.generate..",
				"dev.globalevents.export..", "dev.globalevents.quarantine..").should().dependOnClassesThat()
				.resideInAPackage("dev.globalevents.local..")
				.check(classes);
	}

	@Test
	void noPackageCycles() {
		slices().matching("dev.globalevents.(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void everyModuleWasImported() {
		for (String module : MODULES) {
			assertThat(Files.isDirectory(ROOT.resolve(module).resolve("target/classes/dev/globalevents"))).as(module).isTrue();
		}
	}
}
