package dev.globalevents.canary;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kubectl command and merge patch each split becomes (run against a recording kubectl: no cluster here). */
class KubectlTrafficSplitterTest {

	final List<List<String>> calls = new ArrayList<>();
	final Kubectl kubectl = arguments -> {
		calls.add(arguments);
		return "";
	};
	final KubectlTrafficSplitter splitter = new KubectlTrafficSplitter("globalevents-us-east", "validate", kubectl);

	@Test
	void aStepPatchesBothRevisionsWithTheirTags() throws Exception {
		splitter.route(TrafficTarget.split("validate-00001", "validate-00002", 10));

		assertThat(calls).containsExactly(List.of("patch", "ksvc", "validate", "-n", "globalevents-us-east", "--type", "merge", "-p",
				"{\"spec\":{\"traffic\":[{\"revisionName\":\"validate-00001\",\"percent\":90,\"tag\":\"stable\"},"
						+ "{\"revisionName\":\"validate-00002\",\"percent\":10,\"tag\":\"canary\"}]}}"));
	}

	@Test
	void aRollbackKeepsTheCanaryAddressAtZeroPercent() {
		assertThat(KubectlTrafficSplitter.patch(TrafficTarget.rolledBack("validate-00001", "validate-00002"))).isEqualTo(
				"{\"spec\":{\"traffic\":[{\"revisionName\":\"validate-00001\",\"percent\":100,\"tag\":\"stable\"},"
						+ "{\"revisionName\":\"validate-00002\",\"percent\":0,\"tag\":\"canary\"}]}}");
	}

	@Test
	void aPromotionHandsTheServiceBackToItsLatestRevision() {
		assertThat(KubectlTrafficSplitter.patch(TrafficTarget.promoted())).isEqualTo("{\"spec\":{\"traffic\":[{\"latestRevision\":true,\"percent\":100}]}}");
	}

	@Test
	void aPinRoutesEverythingToOneTaggedRevision() {
		assertThat(KubectlTrafficSplitter.patch(TrafficTarget.pinned("edge-00004")))
				.isEqualTo("{\"spec\":{\"traffic\":[{\"revisionName\":\"edge-00004\",\"percent\":100,\"tag\":\"stable\"}]}}");
	}

	@Test
	void percentagesMustTotalAHundred() {
		assertThatThrownBy(() -> splitter.route(List.of(TrafficTarget.revision("a", 50, null), TrafficTarget.revision("b", 40, null))))
				.hasMessageContaining("total 90");
		assertThat(calls).isEmpty();
	}

	@Test
	void aTargetIsARevisionOrTheLatestNotBoth() {
		assertThatThrownBy(() -> new TrafficTarget("a", true, 100, null)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new TrafficTarget(null, false, 100, null)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> TrafficTarget.revision("a", 101, null)).isInstanceOf(IllegalArgumentException.class);
	}
}
