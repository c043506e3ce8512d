package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FleetViewTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:10Z");
    private static final FleetView.Thresholds DEFAULT = FleetView.Thresholds.DEFAULT;

    private static FleetNode node(String name, Duration sinceSeen, long policy) {
        return new FleetNode(
                name,
                NOW.minusSeconds(60),
                NOW.minus(sinceSeen),
                Optional.of(new PolicyApplication(name, policy, "v" + policy, NOW.minusSeconds(30), 4)),
                "",
                "");
    }

    @Test
    void a_node_is_up_until_three_seconds_unseen_then_stale_then_down_at_ten() {
        assertThat(FleetView.Status.of(Duration.ofMillis(2999), DEFAULT)).isEqualTo(FleetView.Status.UP);
        assertThat(FleetView.Status.of(Duration.ofSeconds(3), DEFAULT)).isEqualTo(FleetView.Status.STALE);
        assertThat(FleetView.Status.of(Duration.ofMillis(9999), DEFAULT)).isEqualTo(FleetView.Status.STALE);
        assertThat(FleetView.Status.of(Duration.ofSeconds(10), DEFAULT)).isEqualTo(FleetView.Status.DOWN);
    }

    @Test
    void a_node_whose_clock_runs_ahead_counts_as_just_seen() {
        assertThat(FleetView.Status.of(Duration.ofSeconds(-2), DEFAULT)).isEqualTo(FleetView.Status.UP);
    }

    @Test
    void thresholds_are_configurable_and_down_must_come_after_stale() {
        FleetView.Thresholds tight = new FleetView.Thresholds(Duration.ofMillis(500), Duration.ofSeconds(2));
        assertThat(FleetView.Status.of(Duration.ofSeconds(1), tight)).isEqualTo(FleetView.Status.STALE);

        assertThatThrownBy(() -> new FleetView.Thresholds(Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("down_after");
    }

    @Test
    void the_view_names_the_active_version_and_each_node_with_what_it_enforces_and_its_status() throws Exception {
        PolicyVersion active = new PolicyVersion(2, "v2", NOW.minusSeconds(40), "ann", "why", List.of());

        FleetView view = FleetView.of(
                Optional.of(active),
                List.of(
                        node("gw-1", Duration.ofMillis(200), 2),
                        node("gw-2", Duration.ofSeconds(4), 2),
                        node("gw-3", Duration.ofSeconds(45), 1)),
                NOW,
                DEFAULT);

        JsonNode json = Json.mapper().readTree(view.toJson());
        assertThat(json.get("policy_version").asText()).isEqualTo("v2");
        assertThat(json.get("nodes")).hasSize(3);
        JsonNode dead = json.get("nodes").get(2);
        assertThat(dead.get("node").asText()).isEqualTo("gw-3");
        assertThat(dead.get("policy_version").asText()).isEqualTo("v1");
        assertThat(dead.get("last_seen").asText()).isEqualTo("2026-03-01T11:59:25Z");
        assertThat(dead.get("applied_at").asText()).isEqualTo("2026-03-01T11:59:40Z");
        assertThat(dead.get("status").asText()).isEqualTo("down");
        assertThat(view.nodes())
                .extracting(FleetView.Member::status)
                .containsExactly(FleetView.Status.UP, FleetView.Status.STALE, FleetView.Status.DOWN);
        assertThat(view.count(FleetView.Status.UP)).isEqualTo(1);
    }

    @Test
    void on_a_store_without_a_policy_the_active_version_is_the_empty_policy_nodes_enforce() {
        FleetView view = FleetView.of(Optional.empty(), List.of(), NOW, DEFAULT);

        assertThat(view.policyVersion()).isEqualTo(Policy.empty().version());
        assertThat(view.policyNumber()).isEqualTo(PolicyVersions.NONE);
    }
}
