package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clearance.cli.CliRun;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.core.Directive;
import dev.clearance.gateway.DemoUpstream;
import dev.clearance.log.audit.EvidenceBundle;
import dev.clearance.record.RecordSummarizer;
import dev.clearance.store.DirectiveEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;

/**
 * The compliance console in a real browser (Debian's headless Chromium through chromedriver) against a
 * real {@code serve --config}: store, decision log, screening list and lifecycle, with recorded traffic.
 * Skipped when Chromium or chromedriver is not installed. Screenshots go to {@code target/console}, or
 * to the directory the system property {@code console.screenshots} names (the docs' are taken with
 * {@code -Dconsole.screenshots=$PWD/docs/console}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final String TOKEN = "console-test-admin-token-5b1f0c";
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final Path SHOTS = Path.of(System.getProperty("console.screenshots", "target/console"));

    Path dir;
    Path config;
    DemoUpstream upstream;
    ConfiguredServer.Running running;
    Browser browser;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        assumeTrue(
                Browser.installed(),
                "Chromium and chromedriver (/usr/bin/chromium, /usr/bin/chromedriver) are not installed");
        dir = tmp;
        Path lists = Files.createDirectories(dir.resolve("ofac"));
        Files.writeString(
                lists.resolve("sdn.csv"),
                "26233,\"KHUSYAYNOVA, Elena Alekseevna\",\"individual\",\"CYBER2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 17 Feb 1974\"\r\n");
        Files.writeString(lists.resolve("alt.csv"), "");
        Files.writeString(lists.resolve("add.csv"), "");
        Files.writeString(
                dir.resolve("principals.jsonl"),
                Files.readString(EXAMPLES.resolve("principals.jsonl"))
                        + "{\"id\": \"elena\", \"name\": \"Elena Alekseevna Khusyaynova\", \"citizenships\": [\"RU\"]}\n");
        upstream = DemoUpstream.start("127.0.0.1", 0, List.of("frontier-x", "open-small"), Duration.ZERO);
        config = Files.writeString(dir.resolve("clearance.yaml"), """
                data_dir: ./data
                server: { host: 127.0.0.1, port: 0 }
                admin:  { host: 127.0.0.1, port: 0, token: %s }
                directives: %s
                principals: ./principals.jsonl
                lifecycle: { two_person_rule: true }
                upstreams:
                  - { name: demo, base_url: "%s", models: ["*"] }
                """.formatted(
                        TOKEN, EXAMPLES.resolve("directives"), upstream.baseUrl()));
        running = ConfiguredServer.start(ClearanceConfig.load(config, Map.of()), false);
        CliRun imported =
                CliRun.of("screening", "import", "--config", config.toString(), "--list", "ofac-sdn=" + lists);
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        String alice = running.store().keys().create("alice", "test").key();
        String chen = running.store().keys().create("chen", "test").key();
        assertThat(call(alice, "frontier-x").statusCode()).isEqualTo(200);
        assertThat(call(chen, "frontier-x").statusCode()).isEqualTo(403);
        assertThat(call(chen, "open-small").statusCode()).isEqualTo(200);
        running.log().checkpoint().get();
        browser = new Browser("http://127.0.0.1:" + running.gateway().adminPort());
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (running != null) {
            running.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private HttpResponse<String> call(String key, String model) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + running.gateway().port() + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + running.gateway().adminPort() + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> activeIds() {
        return running.gateway().policy().directives().stream()
                .map(Directive::id)
                .toList();
    }

    private String shortVersion() {
        return running.gateway().policy().version().substring("sha256:".length(), "sha256:".length() + 12);
    }

    private void signIn(String name, String token) {
        browser.open("/console/sign-in");
        browser.find("#name").clear();
        browser.find("#name").sendKeys(name);
        browser.find("#token").sendKeys(token);
        browser.click("form button[type=submit]");
    }

    private void signOut() {
        browser.open("/console/");
        if (!browser.all("form.who button").isEmpty()) {
            browser.click("form.who button");
        }
        browser.driver.manage().deleteAllCookies();
    }

    @Test
    @Order(1)
    void without_a_token_the_console_shows_a_sign_in_with_a_password_field_and_no_policy_data() throws Exception {
        browser.open("/console/");
        assertThat(browser.all("input[type=password]")).hasSize(1);
        String text = browser.text();
        for (String id : activeIds()) {
            assertThat(text).doesNotContain(id);
        }
        assertThat(text).doesNotContain(shortVersion());
        assertThat(browser.driver.getPageSource()).doesNotContain(shortVersion());

        browser.open("/console/directives/");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/sign-in");
        assertThat(admin("/console/log/", null).statusCode()).isEqualTo(303);
        assertThat(admin("/console/log/entries/0", null).body()).doesNotContain("principal");
        // The rest of the admin listener still wants the token.
        assertThat(admin("/admin/v1/policy", null).statusCode()).isEqualTo(401);
        browser.screenshot(SHOTS, "sign-in");
    }

    @Test
    @Order(2)
    void a_wrong_token_is_refused() throws Exception {
        signIn("mallory", "not-the-token");
        assertThat(browser.find("#signin-error").getText()).contains("not the admin token");
        assertThat(browser.all("input[type=password]")).hasSize(1);
        assertThat(browser.driver.manage().getCookieNamed("clearance_console")).isNull();
        for (String id : activeIds()) {
            assertThat(browser.text()).doesNotContain(id);
        }
    }

    @Test
    @Order(3)
    void signing_in_shows_every_active_directive_and_signing_out_ends_the_session() throws Exception {
        signIn("ann", TOKEN);
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/");
        assertThat(browser.find("#policy-version").getText()).isEqualTo(shortVersion());
        assertThat(browser.find("#policy-hash").getText())
                .isEqualTo(running.gateway().policy().version());
        List<String> shown = browser.all("#active-directives .directive-id").stream()
                .map(e -> e.getText())
                .toList();
        assertThat(shown).containsExactlyInAnyOrderElementsOf(activeIds());
        // The fleet: this node, registered in the store, enforcing the version in force.
        assertThat(browser.find("#fleet-nodes tbody").getText())
                .contains(shortVersion())
                .contains("up")
                .doesNotContain("not the version in force");
        assertThat(browser.text()).contains("Signed in as console:ann");
        Cookie c = browser.driver.manage().getCookieNamed("clearance_console");
        assertThat(c.isHttpOnly()).isTrue();
        assertThat(c.getSameSite()).isEqualTo("Strict");
        assertThat(c.getPath()).isEqualTo("/console");
        assertThat(c.getValue()).hasSize(43); // 256 random bits, base64url

        browser.click("form.who button");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/sign-in");
        // The session is gone on the server: its cookie shows nothing any more.
        HttpResponse<String> replay = admin("/console/", "clearance_console=" + c.getValue());
        assertThat(replay.body()).contains("type=\"password\"").doesNotContain(shortVersion());
    }

    @Test
    @Order(4)
    void with_the_bearer_header_home_shows_the_policy_and_each_section_is_one_link_away() throws Exception {
        browser.driver.manage().deleteAllCookies();
        browser.extraHeaders(Map.of("Authorization", "Bearer " + TOKEN));
        try {
            browser.open("/console/");
            assertThat(browser.text()).contains(shortVersion());
            for (String id : activeIds()) {
                assertThat(browser.text()).contains(id);
            }
            Map<String, String> sections = Map.of(
                    "Directives", "Directives",
                    "Impact simulation", "Impact simulation",
                    "Screening review", "Screening review",
                    "Decision log", "Decision log");
            for (var s : sections.entrySet()) {
                browser.open("/console/");
                browser.follow(s.getKey());
                assertThat(browser.find("h1").getText()).isEqualTo(s.getValue());
            }
        } finally {
            browser.extraHeaders(Map.of());
        }
    }

    @Test
    @Order(5)
    void a_directive_is_proposed_approved_by_a_second_person_and_enforced() throws Exception {
        signIn("ann", TOKEN);
        browser.open("/console/directives/");
        browser.find("#propose-yaml")
                .sendKeys(
                        "id: console-open-small\ntitle: Open small for U.S. persons\n"
                                + "effective_from: 2026-01-01T00:00:00Z\nscope: {models: [\"open-small\"]}\napplies_to: \"!principal.us_persn\"\n");
        browser.find("#propose-reason").sendKeys("Order 2026-031 received");
        browser.click("#propose-form button");
        assertThat(browser.find("#form-error").getText()).contains("line 5, column");
        assertThat(running.store().directives().versions("console-open-small")).isEmpty();

        browser.find("#propose-yaml").clear();
        browser.find("#propose-yaml")
                .sendKeys("id: console-open-small\ntitle: Open small for U.S. persons\n"
                        + "authority: Order 2026-031\neffective_from: 2026-01-01T00:00:00Z\nscope: {models: [\"open-small\"]}\n"
                        + "applies_to: \"!principal.us_person\"\n");
        browser.click("#propose-form button");
        assertThat(browser.text()).contains("console-open-small@1: proposed");
        assertThat(browser.all("#yaml .y-key")).isNotEmpty();

        browser.find("#approve-reason").sendKeys("my own");
        browser.click("#approve-reason + button");
        assertThat(browser.find("#step-error").getText()).contains("two-person rule");
        browser.screenshot(SHOTS, "directive");
        signOut();

        signIn("bob", TOKEN);
        browser.open("/console/directives/console-open-small");
        browser.find("#approve-reason").sendKeys("impact reviewed");
        browser.click("#approve-reason + button");
        assertThat(browser.text()).contains("console-open-small@1: approved");
        browser.find("#activate-reason").sendKeys("enforce per Order 2026-031");
        browser.click("#activate-reason + button");
        assertThat(browser.text()).contains("activated as policy version");

        assertThat(running.store().policies().active().orElseThrow().directives())
                .anyMatch(v -> v.label().equals("console-open-small@1"));
        List<DirectiveEvent> history = running.store().directives().history("console-open-small");
        assertThat(history)
                .extracting(DirectiveEvent::actor)
                .containsExactly("console:ann", "console:bob", "console:bob");
        assertThat(history)
                .extracting(DirectiveEvent::reason)
                .containsExactly("Order 2026-031 received", "impact reviewed", "enforce per Order 2026-031");
        // The gateway enforces it: chen, a foreign person, is now refused open-small.
        String chen = running.store().keys().create("chen", "test").key();
        Instant deadline = Instant.now().plusSeconds(10);
        while (call(chen, "open-small").statusCode() != 403 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(call(chen, "open-small").statusCode()).isEqualTo(403);
        running.log().checkpoint().get();
        signOut();
    }

    @Test
    @Order(6)
    void a_screening_match_is_confirmed_with_a_reason() throws Exception {
        signIn("rita", TOKEN);
        browser.open("/console/screening/");
        assertThat(browser.find("#queue").getText())
                .contains("elena", "SDN entry 26233", "KHUSYAYNOVA", "elena~elena 1.00");
        browser.screenshot(SHOTS, "screening");
        browser.find("input[value=confirmed]").click();
        browser.find("#queue input[name=reason]").sendKeys("same date of birth and passport");
        browser.click("#queue form button");
        assertThat(browser.text()).contains("Recorded — confirmed: elena on SDN 26233");
        assertThat(running.recording().screening.registry.reviewsOf("elena"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.reviewer()).isEqualTo("console:rita");
                    assertThat(r.reason()).isEqualTo("same date of birth and passport");
                });
        assertThat(browser.all("#queue-empty")).hasSize(1);
        assertThat(browser.find("#imports").getText()).contains("ofac-sdn", "active");
        signOut();
    }

    @Test
    @Order(7)
    void an_entrys_inclusion_proof_is_verified_in_the_page_and_a_changed_entry_is_not() throws Exception {
        signIn("ann", TOKEN);
        browser.open("/console/log/?principal=chen&decision=deny");
        assertThat(browser.all("#results tbody tr")).isNotEmpty();
        browser.screenshot(SHOTS, "decision-log");
        browser.click("#results tbody tr a");
        browser.waitFor("#proof-result.verified", Duration.ofSeconds(10));
        assertThat(browser.find("#proof-result").getText())
                .startsWith("Verified in this page")
                .endsWith("and the signature verifies.");
        browser.screenshot(SHOTS, "log-entry");

        // The same check over one changed byte fails.
        browser.driver.executeScript(
                "var p = document.getElementById('proof');"
                        + "p.dataset.line = p.dataset.line.replace('\"deny\"', '\"allow\"');"
                        + "var s = document.createElement('script'); s.src = '/console/assets/proof.js'; document.body.appendChild(s);");
        browser.waitFor("#proof-result.failed", Duration.ofSeconds(10));
        assertThat(browser.find("#proof-result").getText()).startsWith("NOT verified");
    }

    @Test
    @Order(8)
    void the_evidence_bundle_of_a_search_verifies_offline() throws Exception {
        browser.open("/console/log/?principal=chen");
        int rows = browser.all("#results tbody tr").size();
        String got = browser.fetch(browser.find("#bundle-link").getAttribute("href"));
        assertThat(got).startsWith("200\n");
        String bundle = got.substring(4);
        EvidenceBundle.Verified v =
                EvidenceBundle.verify(bundle, running.log().view().verifier(), RecordSummarizer.INSTANCE);
        assertThat(v.entries()).isEqualTo(rows);
        assertThat(bundle).contains("\"selection\":\"principal=chen\"");
    }

    @Test
    @Order(9)
    void an_impact_simulation_runs_in_the_background_and_shows_who_loses_access() throws Exception {
        browser.open("/console/impact/");
        browser.find("#draft-paste").click();
        browser.find("#impact-yaml")
                .sendKeys(
                        "id: console-alice\ntitle: Nothing for alice\n"
                                + "effective_from: 2026-01-01T00:00:00Z\nscope: {models: [\"*\"]}\napplies_to: \"principal.id == 'alice'\"\n");
        browser.screenshot(SHOTS, "impact");
        browser.click("#impact-form button");
        browser.waitFor("#losing", Duration.ofSeconds(60));
        assertThat(browser.find("#losing").getText()).contains("alice", "Alice Walker", "console-alice");
        String json = browser.fetch(browser.find("a[href$='report.json']").getAttribute("href"));
        // The report itself says what the job read, should the chart be missing.
        assertThat(browser.all("svg#requests-by-model rect")).as(json).isNotEmpty();
        assertThat(browser.all("svg#principals-by-model rect")).as(json).isNotEmpty();
        browser.screenshot(SHOTS, "impact-report");
        assertThat(json).startsWith("200\n").contains("\"losing_access\"");
        String html = browser.fetch(browser.find("a[href$='report.html']").getAttribute("href"));
        assertThat(html).startsWith("200\n").contains("<svg id=\"requests-by-model\"");
    }

    @Test
    @Order(10)
    void no_page_has_serious_or_critical_accessibility_violations() throws Exception {
        browser.open("/console/");
        browser.screenshot(SHOTS, "overview");
        assertThat(browser.seriousViolations()).as("overview").isEmpty();
        for (String page : List.of(
                "/console/directives/",
                "/console/directives/console-open-small",
                "/console/impact/",
                "/console/screening/",
                "/console/log/",
                "/console/log/entries/0")) {
            browser.open(page);
            assertThat(browser.seriousViolations()).as(page).isEmpty();
        }
        browser.open("/console/directives/");
        browser.screenshot(SHOTS, "directives");
        signOut();
        browser.open("/console/sign-in");
        assertThat(browser.seriousViolations()).as("sign-in").isEmpty();
    }

    @Test
    @Order(11)
    void state_changes_need_the_sessions_csrf_token_and_pages_carry_the_security_headers() throws Exception {
        HttpResponse<String> home = admin("/console/", null);
        assertThat(home.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(home.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(home.headers().firstValue("Cache-Control")).hasValue("no-store");

        String base = "http://127.0.0.1:" + running.gateway().adminPort();
        HttpResponse<String> signedIn = http.send(
                HttpRequest.newBuilder(URI.create(base + "/console/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("name=eve&token=" + TOKEN))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .contains("HttpOnly", "SameSite=Strict", "Path=/console")
                .doesNotContain("Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> forged = http.send(
                HttpRequest.newBuilder(URI.create(base + "/console/directives/propose"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", cookie)
                        .POST(HttpRequest.BodyPublishers.ofString("reason=x&yaml="
                                + java.net.URLEncoder.encode(
                                        "id: forged\ntitle: t\neffective_from: 2026-01-01T00:00:00Z\nscope: {models: [\"*\"]}\napplies_to: \"true\"\n",
                                        StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(running.store().directives().versions("forged")).isEmpty();
    }

    @Test
    @Order(12)
    void the_console_is_not_served_on_the_model_port() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + running.gateway().port() + "/console/"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("password");
    }

    @Test
    @Order(100)
    void browsing_raised_no_script_errors_and_no_failed_requests() throws Exception {
        browser.collect();
        assertThat(browser.problems).isEmpty();
    }
}
