package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.Json;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Identifying fields are bounded: oversized ones are refused before the decision and leave nothing behind. */
class OversizedFieldsTest {
    static final String MEGABYTE_NAME = "m".repeat(1 << 20);

    final List<String> recorded = new CopyOnWriteArrayList<>();
    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture((request, principal, decision) -> {
            recorded.add(request.model() + " " + request.capabilities());
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static JsonNode error(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body()).path("error");
    }

    @Test
    void a_megabyte_model_name_gets_400_naming_the_limit_without_echoing_the_name() throws Exception {
        HttpResponse<String> r = f.post("/v1/chat/completions", f.chenKey, chat(MEGABYTE_NAME));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error(r).path("code").asText()).isEqualTo("model_too_long");
        assertThat(error(r).path("message").asText())
                .contains("1048576 characters")
                .contains("at most 256");
        assertThat(r.body()).hasSizeLessThan(1000);
        assertThat(recorded).as("refused before any decision").isEmpty();
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void megabyte_model_names_leave_no_lasting_trace_in_the_heap() throws Exception {
        for (int i = 0; i < 5; i++) { // warm up: classes loaded, buffers allocated
            f.post("/v1/chat/completions", f.chenKey, chat(MEGABYTE_NAME + i));
        }
        long before = usedAfterGc();
        for (int i = 0; i < 250; i++) {
            HttpResponse<String> r = f.post("/v1/chat/completions", f.chenKey, chat(MEGABYTE_NAME + i));
            assertThat(r.statusCode()).isEqualTo(400);
        }
        long grown = usedAfterGc() - before;

        // 250 distinct 1 MB names: kept anywhere, they would be 250 MB or more.
        assertThat(grown).as("heap growth in bytes").isLessThan(150L << 20);
        assertThat(recorded).isEmpty();
    }

    @Test
    void oversized_or_too_many_capability_names_get_400() throws Exception {
        List<String> headers = List.of("c".repeat(257), String.join(",", java.util.Collections.nCopies(33, "chat")));
        for (String h : headers) {
            HttpResponse<String> r =
                    f.post("/v1/chat/completions", f.aliceKey, chat("open-small"), "clearance-capabilities", h);
            assertThat(r.statusCode()).as(h).isEqualTo(400);
            assertThat(error(r).path("code").asText()).isEqualTo("invalid_capabilities");
        }
        assertThat(recorded).isEmpty();
        assertThat(f.upstream.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void capability_names_with_control_or_invisible_characters_are_refused() {
        for (String header : List.of("chat,\u0000cyber", "chat,cy\u200bber", "\u0085chat")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CapabilityHeader.read(List.of(header)))
                    .isInstanceOfSatisfying(
                            Rejection.class, r -> assertThat(r.error().code()).isEqualTo("invalid_capabilities"));
        }
        assertThat(CapabilityHeader.read(List.of(" chat , offensive-cyber.exploit", "", "x")))
                .containsExactly("chat", "offensive-cyber.exploit", "x");
    }

    private static long usedAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
