package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.store.Store;
import io.helidon.webserver.http.HttpService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services a caller mounts on the admin listener: one that checks its callers itself is reachable
 * without the admin token (and only under its own path), any other stays behind it, and neither is on
 * the model API's listener.
 */
class AdminMountTest {
    static final String TOKEN = "mount-test-token";
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    Store store;
    Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        store = Store.open("jdbc:sqlite:" + dir.resolve("clearance.db"));
        HttpService hello =
                rules -> rules.get("/", (req, res) -> res.send("hello")).get("/inner", (req, res) -> res.send("inner"));
        gateway = Gateway.start(
                new GatewaySettings(
                        new GatewaySettings.Listener("127.0.0.1", 0),
                        new GatewaySettings.Listener("127.0.0.1", 0),
                        TOKEN,
                        List.of(),
                        GatewaySettings.GeoIp.NONE),
                store,
                DecisionRecorder.NONE,
                java.time.Clock.systemUTC(),
                p -> p,
                List.of(new AdminMount("/open", hello, true), new AdminMount("/closed", hello, false)));
    }

    @AfterEach
    void stop() {
        gateway.close();
        store.close();
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_mount_that_checks_its_callers_is_reached_without_the_admin_token() throws Exception {
        assertThat(get(gateway.adminPort(), "/open/inner", null).body()).isEqualTo("inner");
        assertThat(get(gateway.adminPort(), "/open", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everything_else_on_the_admin_listener_still_needs_the_token() throws Exception {
        assertThat(get(gateway.adminPort(), "/closed/inner", null).statusCode()).isEqualTo(401);
        assertThat(get(gateway.adminPort(), "/closed/inner", TOKEN).body()).isEqualTo("inner");
        assertThat(get(gateway.adminPort(), "/openly", null).statusCode())
                .as("a path that only starts alike")
                .isEqualTo(401);
        assertThat(get(gateway.adminPort(), "/admin/v1/policy", null).statusCode())
                .isEqualTo(401);
        assertThat(get(gateway.adminPort(), "/open/../admin/v1/policy", null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void mounts_are_not_on_the_model_api_listener() throws Exception {
        assertThat(get(gateway.port(), "/open/inner", null).statusCode()).isEqualTo(404);
        assertThat(get(gateway.port(), "/closed/inner", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void a_mount_path_is_lower_case_segments() {
        HttpService none = rules -> {};
        assertThatThrownBy(() -> new AdminMount("console", none, true)).hasMessageContaining("/console");
        assertThatThrownBy(() -> new AdminMount("/", none, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdminMount("/a/../b", none, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
