package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.store.Store;
import io.helidon.webserver.http.HttpService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
    static final String SCIM_TOKEN = "mount-test-scim-token";
    static final HttpService HELLO =
            rules -> rules.get("/", (req, res) -> res.send("hello")).get("/inner", (req, res) -> res.send("inner"));
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    Store store;
    Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        store = Store.open("jdbc:sqlite:" + dir.resolve("clearance.db"));
        gateway = start(true, List.of(new AdminMount("/open", HELLO, true), new AdminMount("/closed", HELLO, false)));
    }

    /** A gateway with SCIM, the log public or not (a log with a checkpoint and nothing else), and {@code mounts}. */
    private Gateway start(boolean publicLog, List<AdminMount> mounts) {
        LogTiles tiles = path -> path.equals("checkpoint")
                ? Optional.of(
                        new LogTiles.Resource("a checkpoint".getBytes(StandardCharsets.UTF_8), "text/plain", false))
                : Optional.empty();
        return Gateway.start(
                new GatewaySettings(
                        new GatewaySettings.Listener("127.0.0.1", 0),
                        new GatewaySettings.Listener("127.0.0.1", 0),
                        TOKEN,
                        List.of(),
                        GatewaySettings.GeoIp.NONE,
                        null,
                        publicLog,
                        null),
                store,
                DecisionRecorder.NONE,
                Gateway.Options.DEFAULT
                        .withTiles(tiles)
                        .withIdentity(new IdentitySettings(
                                List.of(), Optional.of(new IdentitySettings.Scim(SCIM_TOKEN, "idp"))))
                        .withAdminMounts(mounts));
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

    @Test
    void scim_the_public_log_and_a_mount_are_each_open_as_far_as_their_own_exemption_goes() throws Exception {
        int admin = gateway.adminPort();
        assertThat(get(admin, "/log/checkpoint", null).body()).isEqualTo("a checkpoint");
        assertThat(get(admin, "/open/inner", null).body()).isEqualTo("inner");
        assertThat(get(admin, "/scim/v2/Users", SCIM_TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(admin, "/scim/v2/Users", TOKEN).statusCode())
                .as("the admin token does not open SCIM")
                .isEqualTo(401);
        assertThat(get(admin, "/admin/v1/principals", SCIM_TOKEN).statusCode())
                .as("the SCIM token opens nothing else")
                .isEqualTo(401);
        for (String guarded : List.of("/metrics", "/admin/v1/principals", "/log", "/closed/inner", "/scim")) {
            assertThat(get(admin, guarded, null).statusCode()).as(guarded).isEqualTo(401);
        }
    }

    @Test
    void a_mount_may_not_take_or_enclose_a_path_of_the_admin_api_or_another_mount() {
        for (String taken :
                List.of("/admin", "/admin/v1", "/log", "/scim", "/scim/v2", "/metrics", "/health", "/ready")) {
            assertThatThrownBy(() -> start(false, List.of(new AdminMount(taken, HELLO, true))))
                    .as(taken)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("would overlap");
        }
        assertThatThrownBy(() -> start(
                        false, List.of(new AdminMount("/open", HELLO, false), new AdminMount("/open/x", HELLO, true))))
                .hasMessageContaining("would overlap /open");
    }
}
