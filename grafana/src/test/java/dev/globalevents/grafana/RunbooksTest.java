package dev.globalevents.grafana;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQL the runbooks give on-call for checking an alert in TrafficPeak runs (here on ClickHouse 18.16, for eu-west). */
@ExtendWith(TrafficPeakStandIn.Extension.class)
class RunbooksTest {

	static final Pattern SQL = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);
	static TrafficPeakStandIn standIn;

	@BeforeAll
	static void start(TrafficPeakStandIn started) {
		standIn = started;
	}

	static Stream<Named<String>> statements() throws IOException {
		List<Named<String>> statements = new ArrayList<>();
		for (AlertRule rule : AlertRules.all()) {
			Path runbook = ProvisioningTest.RUNBOOKS.resolve(Path.of(rule.annotations().get("runbook_url")).getFileName());
			String text = Files.readString(runbook);
			Matcher sql = SQL.matcher(text.substring(text.indexOf("## From Grafana / TrafficPeak")));
			while (sql.find()) {
				for (String statement : sql.group(1).split(";\\s*\\n")) {
					String runnable = statement.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).strip();
					if (!runnable.isEmpty()) {
						statements.add(Named.of(runbook.getFileName() + ": " + runnable.lines().findFirst().orElseThrow(), runnable));
					}
				}
			}
		}
		return statements.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("statements")
	void runs(String statement) {
		ClickHouseHttp.Table table = standIn.clickhouse.query(statement.replace("'<region>'", "'eu-west'").replaceAll(";$", ""));

		assertThat(table.names()).isNotEmpty();
	}
}
