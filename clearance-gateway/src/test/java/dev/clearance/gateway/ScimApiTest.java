package dev.clearance.gateway;

import static dev.clearance.gateway.GatewayFixture.chat;
import static dev.clearance.gateway.GatewayFixture.chatStream;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import dev.clearance.core.Json;
import dev.clearance.gateway.oidc.LocalIssuer;
import dev.clearance.store.Provisioning;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SCIM 2.0 provisioning on the admin listener, and what it changes for callers. */
class ScimApiTest {
    static final String SCIM_TOKEN = "scim-token-for-tests";
    static final String EXT = "urn:clearance:params:scim:schemas:extension:export-control:2.0:User";
    static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

    final RSAKey rsa = LocalIssuer.rsa("rsa-1");
    LocalIssuer idp;
    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        idp = new LocalIssuer();
        idp.publish(rsa);
        f = new GatewayFixture(
                new IdentitySettings(
                        List.of(idp.settings()), Optional.of(new IdentitySettings.Scim(SCIM_TOKEN, "okta"))),
                DecisionRecorder.NONE);
    }

    @AfterEach
    void stop() {
        f.close();
        idp.close();
    }

    HttpResponse<String> scim(String method, String path, String body) throws Exception {
        return scimAs(SCIM_TOKEN, method, path, body);
    }

    HttpResponse<String> scimAs(String token, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.admin("/scim/v2" + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/scim+json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String user(String userName, String facts) {
        return """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "%s"],
                 "userName": "%s", "externalId": "ext-%s", "active": true,
                 "name": {"givenName": "Dee", "familyName": "Vries"},
                 "emails": [{"value": "%s@example.com", "type": "work", "primary": true}],
                 "%s": %s}""".formatted(EXT, userName, userName, userName, EXT, facts);
    }

    static String patch(String operations) {
        return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":" + operations + "}";
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    /** Creates a user and returns its SCIM id. */
    String create(String userName, String facts) throws Exception {
        HttpResponse<String> r = scim("POST", "/Users", user(userName, facts));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    String token(String subject) {
        return LocalIssuer.sign(rsa, idp.claims(subject, Instant.now()).build());
    }

    int call(String credential, String model) throws Exception {
        return f.post("/v1/chat/completions", credential, chat(model)).statusCode();
    }

    @Test
    void scim_refuses_a_request_without_its_token_and_the_admin_token_does_not_open_it() throws Exception {
        for (String token : new String[] {null, "wrong", GatewayFixture.ADMIN_TOKEN}) {
            HttpResponse<String> r = scimAs(token, "GET", "/Users", null);

            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/scim+json");
            assertThat(json(r).get("schemas").get(0).asText()).isEqualTo(ERROR);
            assertThat(json(r).get("status").asText()).isEqualTo("401");
        }
    }

    @Test
    void the_scim_token_does_not_open_the_admin_api() throws Exception {
        HttpResponse<String> r = f.adminAs(SCIM_TOKEN, "GET", "/admin/v1/principals/alice", null, null);
        HttpResponse<String> health = f.adminAs(SCIM_TOKEN, "GET", "/health", null, null);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(health.statusCode()).isEqualTo(401);
    }

    @Test
    void a_dot_dot_path_under_scim_never_reaches_the_admin_api_with_the_scim_token() throws Exception {
        String request = "GET /scim/v2/../admin/v1/principals/alice HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + SCIM_TOKEN + "\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", f.gateway.adminPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();

            assertThat(status).startsWith("HTTP/1.1 4");
        }
    }

    @Test
    void a_created_user_gets_an_id_and_meta_and_reads_back_the_same() throws Exception {
        HttpResponse<String> created = scim(
                "POST",
                "/Users",
                user("dee@example.com", "{\"citizenships\": [\"US\"], \"residence_country\": \"US\"}"));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode u = json(created);
        String id = u.get("id").asText();
        assertThat(id).isNotBlank().isNotEqualTo("dee@example.com");
        assertThat(u.get("meta").get("resourceType").asText()).isEqualTo("User");
        assertThat(u.get("meta").get("location").asText()).endsWith("/scim/v2/Users/" + id);
        assertThat(created.headers().firstValue("location"))
                .hasValue(u.get("meta").get("location").asText());
        assertThat(created.headers().firstValue("etag"))
                .hasValue(u.get("meta").get("version").asText());
        assertThat(u.get(EXT).get("citizenships").get(0).asText()).isEqualTo("US");
        assertThat(u.get("emails").get(0).get("value").asText()).isEqualTo("dee@example.com@example.com");

        HttpResponse<String> read = scim("GET", "/Users/" + id, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read)).isEqualTo(u);
        assertThat(f.store
                        .principals()
                        .get("dee@example.com")
                        .orElseThrow()
                        .principal()
                        .name())
                .isEqualTo("Dee Vries");
    }

    @Test
    void users_are_found_by_filter_and_paged() throws Exception {
        for (String name : List.of("u1", "u2", "u3")) {
            create(name, "{\"citizenships\": [\"US\"]}");
        }

        JsonNode one = json(scim("GET", "/Users?filter=" + enc("userName eq \"U2\""), null));
        JsonNode byExternal =
                json(scim("GET", "/Users?filter=" + enc("externalId eq \"ext-u3\" and active eq true"), null));
        JsonNode page = json(scim("GET", "/Users?startIndex=2&count=1", null));
        JsonNode none = json(scim("GET", "/Users?filter=" + enc("userName eq \"nobody\""), null));

        assertThat(one.get("totalResults").asInt()).isEqualTo(1);
        assertThat(one.get("Resources").get(0).get("userName").asText()).isEqualTo("u2");
        assertThat(byExternal.get("Resources").get(0).get("userName").asText()).isEqualTo("u3");
        assertThat(page.get("totalResults").asInt()).isEqualTo(3);
        assertThat(page.get("startIndex").asInt()).isEqualTo(2);
        assertThat(page.get("itemsPerPage").asInt()).isEqualTo(1);
        assertThat(page.get("Resources").get(0).get("userName").asText()).isEqualTo("u2");
        assertThat(none.get("totalResults").asInt()).isZero();
        assertThat(none.get("Resources")).isEmpty();
    }

    @Test
    void an_unsupported_filter_is_an_invalid_filter_error() throws Exception {
        HttpResponse<String> r = scim("GET", "/Users?filter=" + enc("emails co \"example\""), null);
        HttpResponse<String> broken = scim("GET", "/Users?filter=" + enc("userName eq"), null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("scimType").asText()).isEqualTo("invalidFilter");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).get("scimType").asText()).isEqualTo("invalidFilter");
    }

    @Test
    void a_malformed_user_is_a_400_naming_the_attribute_and_nothing_is_stored() throws Exception {
        HttpResponse<String> badCountry = scim("POST", "/Users", user("eve", "{\"citizenships\": [\"USA\"]}"));
        HttpResponse<String> badFact = scim("POST", "/Users", user("eve", "{\"identity_assurance\": 7}"));
        HttpResponse<String> unknownFact = scim("POST", "/Users", user("eve", "{\"us_person\": true}"));
        HttpResponse<String> noUserName = scim(
                "POST", "/Users", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"active\":true}");
        HttpResponse<String> notJson = scim("POST", "/Users", "{\"userName\": ");

        assertThat(json(badCountry).get("status").asText()).isEqualTo("400");
        assertThat(json(badCountry).get("scimType").asText()).isEqualTo("invalidValue");
        assertThat(json(badCountry).get("detail").asText())
                .contains(EXT + ":citizenships")
                .contains("'USA' is not an ISO 3166 alpha-2 code");
        assertThat(json(badFact).get("detail").asText()).contains(EXT + ":identity_assurance");
        assertThat(json(unknownFact).get("detail").asText())
                .contains(EXT + ":us_person")
                .contains("not in the schema");
        assertThat(json(noUserName).get("detail").asText()).contains("userName is required");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("scimType").asText()).isEqualTo("invalidSyntax");
        assertThat(f.store
                        .provisioning()
                        .users(Provisioning.UserQuery.ALL, 0, 10)
                        .total())
                .isZero();
        assertThat(f.store.principals().get("eve")).isEmpty();
    }

    @Test
    void a_user_name_taken_by_another_user_or_a_principal_is_a_uniqueness_conflict() throws Exception {
        create("dee", "{}");

        HttpResponse<String> again = scim("POST", "/Users", user("DEE", "{}"));
        HttpResponse<String> existingPrincipal = scim("POST", "/Users", user("alice", "{}"));

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("scimType").asText()).isEqualTo("uniqueness");
        assertThat(existingPrincipal.statusCode()).isEqualTo(409);
    }

    @Test
    void a_scim_patch_of_citizenships_changes_the_next_decision() throws Exception {
        String id = create("dee", "{\"citizenships\": [\"US\"]}");
        String token = token("dee");
        assertThat(call(token, "frontier-x")).isEqualTo(200);

        HttpResponse<String> r = scim(
                "PATCH",
                "/Users/" + id,
                patch("[{\"op\":\"replace\",\"path\":\"" + EXT + ":citizenships\",\"value\":[\"DE\"]}]"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get(EXT).get("citizenships").get(0).asText()).isEqualTo("DE");
        assertThat(call(token, "frontier-x")).isEqualTo(403);
        assertThat(f.store.provisioning().history(id))
                .extracting(Provisioning.Event::actor, Provisioning.Event::reason)
                .last()
                .isEqualTo(org.assertj.core.groups.Tuple.tuple(
                        "scim:okta", "SCIM PATCH replace " + EXT + ":citizenships"));
    }

    @Test
    void patch_active_false_blocks_the_users_tokens_and_keys_at_once_and_true_restores_the_user() throws Exception {
        String id = create("dee", "{\"citizenships\": [\"US\"]}");
        String key = f.store.keys().create("dee", "test").key();
        String token = token("dee");
        assertThat(call(key, "open-small")).isEqualTo(200);

        // Microsoft Entra ID's spelling: a capitalised op and the boolean as text.
        HttpResponse<String> off =
                scim("PATCH", "/Users/" + id, patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]"));

        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        assertThat(json(off).get("active").asBoolean()).isFalse();
        assertThat(call(token, "open-small")).isEqualTo(401);
        assertThat(call(key, "open-small")).isEqualTo(401);

        scim("PATCH", "/Users/" + id, patch("[{\"op\":\"replace\",\"value\":{\"active\":true}}]"));

        assertThat(call(token, "open-small")).isEqualTo(200);
        assertThat(call(key, "open-small")).as("revoked keys stay revoked").isEqualTo(401);
    }

    @Test
    void patch_adds_and_removes_inside_the_extension_and_takes_paths_in_a_value_object() throws Exception {
        String id = create("dee", "{\"citizenships\": [\"FR\"]}");

        scim(
                "PATCH",
                "/Users/" + id,
                patch("[{\"op\":\"add\",\"path\":\"" + EXT + ":citizenships\",\"value\":[\"US\"]},"
                        + "{\"op\":\"replace\",\"value\":{\"" + EXT
                        + ":residence_country\":\"FR\",\"name.givenName\":\"Dora\"}}]"));
        JsonNode both = json(scim("GET", "/Users/" + id, null));
        scim("PATCH", "/Users/" + id, patch("[{\"op\":\"remove\",\"path\":\"" + EXT + ":citizenships\"}]"));
        JsonNode none = json(scim("GET", "/Users/" + id, null));

        assertThat(both.get(EXT).get("citizenships").toString()).isEqualTo("[\"FR\",\"US\"]");
        assertThat(both.get(EXT).get("residence_country").asText()).isEqualTo("FR");
        assertThat(both.get("name").get("givenName").asText()).isEqualTo("Dora");
        assertThat(none.get(EXT).get("citizenships")).isEmpty();
    }

    @Test
    void a_patch_that_would_make_an_invalid_user_changes_nothing() throws Exception {
        String id = create("dee", "{\"citizenships\": [\"US\"]}");

        HttpResponse<String> r = scim(
                "PATCH",
                "/Users/" + id,
                patch("[{\"op\":\"replace\",\"path\":\"" + EXT + ":citizenships\",\"value\":[\"usa\"]}]"));
        HttpResponse<String> badOp = scim("PATCH", "/Users/" + id, patch("[{\"op\":\"merge\",\"path\":\"active\"}]"));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("detail").asText()).contains(EXT + ":citizenships");
        assertThat(badOp.statusCode()).isEqualTo(400);
        assertThat(json(badOp).get("scimType").asText()).isEqualTo("invalidSyntax");
        assertThat(json(scim("GET", "/Users/" + id, null))
                        .get(EXT)
                        .get("citizenships")
                        .get(0)
                        .asText())
                .isEqualTo("US");
    }

    @Test
    void put_replaces_a_user_and_a_stale_if_match_is_refused() throws Exception {
        HttpResponse<String> created = scim("POST", "/Users", user("dee", "{\"citizenships\": [\"US\"]}"));
        String id = json(created).get("id").asText();
        String etag = created.headers().firstValue("etag").orElseThrow();

        HttpResponse<String> put = scimAs(
                SCIM_TOKEN, "PUT", "/Users/" + id, user("dee", "{\"citizenships\": [\"CA\"]}"), "If-Match", etag);
        HttpResponse<String> stale = scimAs(
                SCIM_TOKEN, "PUT", "/Users/" + id, user("dee", "{\"citizenships\": [\"CN\"]}"), "If-Match", etag);

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("etag")).isPresent().isNotEqualTo(Optional.of(etag));
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(f.store.principals().get("dee").orElseThrow().principal().citizenships())
                .containsExactly("CA");
    }

    @Test
    void delete_removes_the_user_and_its_access() throws Exception {
        String id = create("dee", "{\"citizenships\": [\"US\"]}");
        String token = token("dee");

        HttpResponse<String> deleted = scim("DELETE", "/Users/" + id, null);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(scim("GET", "/Users/" + id, null).statusCode()).isEqualTo(404);
        assertThat(json(scim("GET", "/Users/" + id, null)).get("schemas").get(0).asText())
                .isEqualTo(ERROR);
        assertThat(scim("DELETE", "/Users/" + id, null).statusCode()).isEqualTo(404);
        assertThat(call(token, "open-small")).isEqualTo(401);
    }

    @Test
    void deprovisioning_cuts_an_open_stream() throws Exception {
        String id = create("dee", "{\"citizenships\": [\"US\"]}");
        f.upstream.interval = Duration.ofMillis(50);
        f.upstream.streamWords = 1000;
        HttpResponse<InputStream> r = f.http.send(
                f.postRequest("/v1/chat/completions", token("dee"), chatStream("open-small")),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (SseReader stream = new SseReader(r.body())) {
            assertThat(stream.next(Duration.ofSeconds(5))).contains("w0 ");

            scim("PATCH", "/Users/" + id, patch("[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]"));

            String event = stream.next(Duration.ofSeconds(5));
            while (event != null && !event.contains("\"error\"")) {
                event = stream.next(Duration.ofSeconds(1));
            }
            assertThat(event).contains("clearance_denied");
            assertThat(stream.next(Duration.ofSeconds(5))).isNull();
        }
    }

    @Test
    void a_group_is_an_organization_whose_members_principals_name_it() throws Exception {
        String dee = create("dee", "{\"citizenships\": [\"US\"]}");
        String eli = create("eli", "{\"citizenships\": [\"US\"]}");

        HttpResponse<String> created = scim(
                "POST",
                "/Groups",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Globex\","
                        + "\"members\":[{\"value\":\"" + dee + "\"}]}");
        String group = json(created).get("id").asText();
        scim(
                "PATCH",
                "/Groups/" + group,
                patch("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + eli
                        + "\"}]},{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + dee + "\\\"]\"}]"));
        JsonNode found = json(scim("GET", "/Groups?filter=" + enc("displayName eq \"globex\""), null));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(found.get("Resources")
                        .get(0)
                        .get("members")
                        .get(0)
                        .get("display")
                        .asText())
                .isEqualTo("eli");
        assertThat(f.store.principals().get("eli").orElseThrow().principal().organization())
                .isEqualTo("Globex");
        assertThat(f.store.principals().get("dee").orElseThrow().principal().organization())
                .isEmpty();

        assertThat(scim("DELETE", "/Groups/" + group, null).statusCode()).isEqualTo(204);
        assertThat(f.store.principals().get("eli").orElseThrow().principal().organization())
                .isEmpty();
    }

    @Test
    void put_renames_a_group_and_its_members_follow_and_excluded_members_are_left_out() throws Exception {
        String dee = create("dee", "{}");
        String group =
                json(scim("POST", "/Groups", group("Globex", dee))).get("id").asText();

        HttpResponse<String> put = scim("PUT", "/Groups/" + group, group("Globex Corp", dee));
        JsonNode slim = json(scim("GET", "/Groups/" + group + "?excludedAttributes=members", null));

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(f.store.principals().get("dee").orElseThrow().principal().organization())
                .isEqualTo("Globex Corp");
        assertThat(slim.has("members")).isFalse();
        assertThat(slim.get("displayName").asText()).isEqualTo("Globex Corp");
    }

    @Test
    void a_malformed_group_is_a_400_naming_the_attribute() throws Exception {
        HttpResponse<String> noName = scim(
                "POST", "/Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"members\":[]}");
        HttpResponse<String> badMembers = scim(
                "POST",
                "/Groups",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"G\",\"members\":\"x\"}");
        HttpResponse<String> wrongSchema = scim("POST", "/Groups", user("dee", "{}"));

        assertThat(json(noName).get("detail").asText()).contains("displayName is required");
        assertThat(json(badMembers).get("detail").asText()).contains("attribute 'members'");
        assertThat(wrongSchema.statusCode()).isEqualTo(400);
        assertThat(f.store
                        .provisioning()
                        .groups(Provisioning.GroupQuery.ALL, 0, 10)
                        .total())
                .isZero();
    }

    @Test
    void a_patch_whose_path_is_the_extension_urn_replaces_those_facts() throws Exception {
        String id = create("dee", "{\"citizenships\": [\"FR\"], \"residence_country\": \"FR\"}");

        HttpResponse<String> r = scim(
                "PATCH",
                "/Users/" + id,
                patch("[{\"op\":\"replace\",\"path\":\"" + EXT + "\",\"value\":{\"citizenships\":[\"US\"]}}]"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get(EXT).get("citizenships").toString()).isEqualTo("[\"US\"]");
        assertThat(json(r).get(EXT).get("residence_country").asText()).isEqualTo("FR");
    }

    static String group(String name, String member) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"" + name
                + "\",\"members\":[{\"value\":\"" + member + "\"}]}";
    }

    @Test
    void a_group_naming_an_unknown_member_is_a_400() throws Exception {
        HttpResponse<String> r = scim(
                "POST",
                "/Groups",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Globex\","
                        + "\"members\":[{\"value\":\"no-such-user\"}]}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("detail").asText()).contains("no user 'no-such-user'");
    }

    @Test
    void the_discovery_documents_describe_users_groups_and_the_extension() throws Exception {
        JsonNode config = json(scim("GET", "/ServiceProviderConfig", null));
        JsonNode types = json(scim("GET", "/ResourceTypes", null));
        JsonNode ext = json(scim("GET", "/Schemas/" + EXT, null));

        assertThat(config.get("patch").get("supported").asBoolean()).isTrue();
        assertThat(config.get("filter").get("maxResults").asInt()).isEqualTo(1000);
        assertThat(types.get("Resources"))
                .extracting(t -> t.get("name").asText())
                .containsExactly("User", "Group");
        assertThat(ext.get("attributes"))
                .extracting(a -> a.get("name").asText())
                .contains(
                        "kind",
                        "citizenships",
                        "lawful_permanent_resident_of",
                        "protected_individual",
                        "residence_country",
                        "identity_assurance",
                        "organization",
                        "licenses",
                        "attributes");
        assertThat(scim("GET", "/Nope", null).statusCode()).isEqualTo(404);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
