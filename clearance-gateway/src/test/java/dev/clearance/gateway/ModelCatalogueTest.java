package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The catalogue against a real upstream on loopback: read at start, refreshed, and fail-closed while it is down. */
class ModelCatalogueTest {
    final FakeUpstream upstream = new FakeUpstream();
    // No upstream here has TLS settings of its own, so no TLS material is needed.
    final UpstreamClients clients = UpstreamClients.of(List.of(), null);
    ModelCatalogue catalogue;

    @AfterEach
    void stop() {
        if (catalogue != null) {
            catalogue.close();
        }
        upstream.close();
    }

    GatewaySettings.Upstream lab(Duration refresh, List<String> declared) {
        return new GatewaySettings.Upstream(
                "lab", upstream.baseUrl(), List.of("*"), "k", declared, true, refresh, List.of());
    }

    static String id(ModelCatalogue c, String requested) {
        return c.resolve(requested).id();
    }

    @Test
    void an_upstream_that_stops_answering_keeps_the_models_last_read_and_gains_no_others() {
        upstream.models = List.of("mythos-5");
        GatewaySettings.Upstream lab = lab(null, List.of());
        catalogue = ModelCatalogue.start(List.of(lab), clients);
        assertThat(id(catalogue, "MYTHOS-5")).isEqualTo("mythos-5");

        upstream.models = List.of("mythos-5", "brand-new");
        upstream.close();
        catalogue.read(lab);

        assertThat(id(catalogue, "Mythos-5")).isEqualTo("mythos-5");
        assertThatThrownBy(() -> catalogue.resolve("brand-new"))
                .isInstanceOfSatisfying(
                        Rejection.class, r -> assertThat(r.error().code()).isEqualTo("model_not_found"));
    }

    @Test
    void an_upstream_never_reached_serves_only_the_ids_its_configuration_declares() {
        GatewaySettings.Upstream down = new GatewaySettings.Upstream(
                "down",
                URI.create("http://127.0.0.1:1"),
                List.of("*"),
                "",
                List.of("Offline-Model"),
                true,
                null,
                List.of());
        catalogue = ModelCatalogue.start(List.of(down), clients);

        assertThat(catalogue.entries()).extracting(ModelCatalogue.Entry::id).containsExactly("Offline-Model");
        assertThat(id(catalogue, "offline-model")).isEqualTo("Offline-Model");
        assertThatThrownBy(() -> catalogue.resolve("anything-else")).isInstanceOf(Rejection.class);
    }

    @Test
    void a_model_the_upstream_adds_is_served_after_the_next_refresh_and_one_it_drops_is_not() throws Exception {
        upstream.models = List.of("old-model");
        catalogue = ModelCatalogue.start(List.of(lab(Duration.ofMillis(50), List.of())), clients);
        assertThat(id(catalogue, "old-model")).isEqualTo("old-model");

        upstream.models = List.of("new-model");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (catalogue.entries().stream().noneMatch(e -> e.id().equals("new-model"))) {
            assertThat(System.nanoTime()).as("refreshed within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(catalogue.entries()).extracting(ModelCatalogue.Entry::id).containsExactly("new-model");
        assertThat(upstream.modelLists.peek().header("authorization")).isEqualTo("Bearer k");
    }

    @Test
    void ids_outside_the_upstreams_globs_and_ids_no_caller_could_name_are_left_out() {
        upstream.models = List.of("frontier-x", "other-vendor-model", "bad\u0000id", "m".repeat(300));
        GatewaySettings.Upstream lab = new GatewaySettings.Upstream(
                "lab", upstream.baseUrl(), List.of("frontier-*"), "", List.of(), true, null, List.of());
        catalogue = ModelCatalogue.start(List.of(lab), clients);

        assertThat(catalogue.entries()).extracting(ModelCatalogue.Entry::id).containsExactly("frontier-x");
    }

    @Test
    void a_model_listed_by_two_upstreams_is_served_by_the_first() {
        upstream.models = List.of("shared");
        try (FakeUpstream second = new FakeUpstream()) {
            second.models = List.of("shared", "only-second");
            GatewaySettings.Upstream two = new GatewaySettings.Upstream(
                    "two", second.baseUrl(), List.of("*"), "", List.of(), true, null, List.of());
            catalogue = ModelCatalogue.start(List.of(lab(null, List.of()), two), clients);

            assertThat(catalogue.resolve("shared").upstream().name()).isEqualTo("lab");
            assertThat(catalogue.resolve("only-second").upstream().name()).isEqualTo("two");
            assertThat(catalogue.entries())
                    .extracting(ModelCatalogue.Entry::id)
                    .containsExactly("shared", "only-second");
        }
    }

    @Test
    void the_names_without_a_star_in_models_are_served_even_when_the_list_cannot_be_read() {
        GatewaySettings.Upstream down = new GatewaySettings.Upstream(
                "down",
                URI.create("http://127.0.0.1:1"),
                List.of("frontier-x", "gpt-*"),
                "",
                List.of(),
                true,
                null,
                List.of());
        catalogue = ModelCatalogue.start(List.of(down), clients);

        assertThat(catalogue.entries()).extracting(ModelCatalogue.Entry::id).containsExactly("frontier-x");
        assertThat(id(catalogue, "FRONTIER-X")).isEqualTo("frontier-x");
        assertThatThrownBy(() -> catalogue.resolve("gpt-4")).isInstanceOf(Rejection.class);
    }

    @Test
    void a_name_in_models_that_the_upstream_lists_in_another_spelling_is_served_as_listed() {
        upstream.models = List.of("Frontier-X");
        GatewaySettings.Upstream lab = new GatewaySettings.Upstream(
                "lab", upstream.baseUrl(), List.of("frontier-x"), "", List.of(), true, null, List.of());
        catalogue = ModelCatalogue.start(List.of(lab), clients);

        assertThat(catalogue.entries()).extracting(ModelCatalogue.Entry::id).containsExactly("Frontier-X");
        assertThat(id(catalogue, "frontier-x")).isEqualTo("Frontier-X");
    }
}
