package dev.clearance.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one upstream's {@code GET /v1/models}: the model objects it lists, in its order. Both shapes
 * are read (OpenAI's {@code {"data": […]}}, Anthropic's paged {@code {"data", "has_more", "last_id"}});
 * the upstream key goes as {@code Authorization: Bearer}, or as {@code x-api-key} when the upstream
 * refuses the first (Anthropic's API reads only that one), and {@code anthropic-version} is always sent.
 * Everything is bounded: the answer's size, the number of pages and of models.
 */
final class UpstreamModels {
    static final String ANTHROPIC_VERSION = "2023-06-01";
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final int MAX_PAGES = 20;
    static final int MAX_MODELS = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final UpstreamClients clients;

    UpstreamModels(UpstreamClients clients) {
        this.clients = clients;
    }

    /** A list the upstream could not give: its message says why (the status, the shape, the I/O error). */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** The model objects the upstream lists (each with a string {@code id}), at most {@value #MAX_MODELS}. */
    List<ObjectNode> read(GatewaySettings.Upstream upstream) throws Unreadable, InterruptedException {
        List<ObjectNode> models = new ArrayList<>();
        String after = null;
        ApiStyle keyStyle = ApiStyle.OPENAI;
        for (int page = 0; page < MAX_PAGES; page++) {
            URI uri = URI.create(upstream.baseUrl() + "/v1/models"
                    + (after == null
                            ? ""
                            : "?limit=1000&after_id=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
            HttpClientResponse response = get(uri, upstream, keyStyle);
            int status = response.status().code();
            if ((status == 401 || status == 403)
                    && keyStyle == ApiStyle.OPENAI
                    && !upstream.apiKey().isEmpty()) {
                response.close();
                keyStyle = ApiStyle.ANTHROPIC;
                response = get(uri, upstream, keyStyle);
            }
            JsonNode list = parse(response);
            for (JsonNode m : list.path("data")) {
                if (m.isObject() && m.path("id").isTextual() && models.size() < MAX_MODELS) {
                    models.add((ObjectNode) m);
                }
            }
            if (!list.path("has_more").asBoolean(false)
                    || !list.path("last_id").isTextual()
                    || models.size() >= MAX_MODELS) {
                return models;
            }
            after = list.path("last_id").asText();
        }
        return models;
    }

    private HttpClientResponse get(URI uri, GatewaySettings.Upstream upstream, ApiStyle keyStyle)
            throws Unreadable, InterruptedException {
        HttpClientRequest request = clients.client(upstream)
                .method(Method.GET)
                .uri(uri)
                .skipUriEncoding(true)
                .readTimeout(TIMEOUT)
                .header(HeaderNames.ACCEPT, "application/json")
                .header(ProxyHeaders.ANTHROPIC_VERSION, ANTHROPIC_VERSION);
        ProxyHeaders.upstreamKey(request.headers(), keyStyle, upstream.apiKey());
        try {
            return request.request();
        } catch (RuntimeException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("reading the models of " + upstream.name());
            }
            throw new Unreadable("unreachable: " + (e.getCause() != null ? e.getCause() : e));
        }
    }

    private static JsonNode parse(HttpClientResponse response) throws Unreadable {
        try (response;
                InputStream in = response.inputStream()) {
            if (response.status().code() != 200) {
                throw new Unreadable("answered status " + response.status().code());
            }
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new Unreadable("answered more than " + MAX_BYTES + " bytes");
            }
            JsonNode list = MAPPER.readTree(bytes);
            if (list == null || !list.isObject() || !list.path("data").isArray()) {
                throw new Unreadable("answered without a \"data\" array");
            }
            return list;
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("answered unreadable JSON: " + e.getMessage());
        }
    }
}
