package dev.clearance.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.core.ContentClassification;
import dev.clearance.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An external content classifier reached over HTTP, for providers that run their own safety
 * classifier: either an OpenAI-compatible chat endpoint serving a guard model (Llama Guard style: the
 * conversation goes in, a verdict such as {@code unsafe\nS14} comes out, and configured labels in the
 * reply map to capabilities) or a moderation-style endpoint ({@code {"input"}} in,
 * {@code results[0].categories} / {@code category_scores} out, configured categories mapped to
 * capabilities). Requests are classified; streamed answers are not sent out (the embedded classifier
 * watches those).
 *
 * <p>Fail closed: when the endpoint cannot be reached, answers an error, answers something that cannot
 * be read, or takes longer than the timeout, every capability it maps to is assumed present (unless
 * configured otherwise), and the classification's errors — and so the decision's — say why.
 */
public final class HttpClassifier implements ContentClassifier {
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.-]+");

    /** The external endpoint's protocol. */
    public enum Kind {
        /** OpenAI-compatible chat completions serving a guard model; labels are read from the reply's words. */
        CHAT,
        /** A moderation endpoint; labels are category names. */
        MODERATION
    }

    /**
     * The external classifier's settings ({@code classification.external} in the configuration).
     *
     * @param kind       chat (a guard model) or moderation
     * @param url        the endpoint, e.g. {@code http://guard:8000/v1/chat/completions}
     * @param model      the model to name in the call; empty to name none
     * @param apiKey     sent as {@code Authorization: Bearer}; empty to send none
     * @param timeout    how long the whole call may take
     * @param prompt     chat only: a template sent as one user message, {@code {conversation}} replaced by
     *                   the conversation ({@code role: text} paragraphs) and {@code {request}} by the latest
     *                   user turn; empty to send the conversation as chat messages (guard models whose chat
     *                   template builds their own prompt)
     * @param labels     label in the reply (chat) or category name (moderation), compared case-insensitively,
     *                   to the capability it means
     * @param threshold  moderation only: a category counts when its score reaches this; empty to use the
     *                   endpoint's own {@code categories} flags
     * @param failClosed when the endpoint fails: assume every mapped capability present (true, the default)
     *                   or decide without it (the failure is still among the decision's errors)
     */
    public record Settings(
            Kind kind,
            URI url,
            String model,
            String apiKey,
            Duration timeout,
            String prompt,
            Map<String, String> labels,
            Optional<Double> threshold,
            boolean failClosed) {
        public Settings {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(url, "url");
            model = model == null ? "" : model;
            apiKey = apiKey == null ? "" : apiKey;
            Objects.requireNonNull(timeout, "timeout");
            prompt = prompt == null ? "" : prompt;
            Map<String, String> lower = new LinkedHashMap<>();
            labels.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT)));
            labels = Map.copyOf(lower);
            if (labels.isEmpty()) {
                throw new IllegalArgumentException("an external classifier needs at least one label");
            }
            threshold = threshold == null ? Optional.empty() : threshold;
        }

        @Override
        public String toString() {
            // The key never reaches a log line.
            return "Settings[kind=" + kind + ", url=" + url + ", model=" + model + ", apiKey="
                    + (apiKey.isEmpty() ? "none" : "***") + ", timeout=" + timeout + ", labels=" + labels + "]";
        }
    }

    private final Settings settings;
    private final HttpClient client;
    private final List<String> capabilities;
    private final String id;

    public HttpClassifier(Settings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        this.capabilities = List.copyOf(new LinkedHashSet<>(settings.labels().values()));
        this.id = "http:" + settings.kind().name().toLowerCase(Locale.ROOT) + ":" + settings.url();
    }

    @Override
    public ContentClassification classify(Conversation conversation) {
        String failure;
        try {
            JsonNode reply = call(conversation);
            return found(settings.kind() == Kind.CHAT ? chatLabels(reply) : moderationLabels(reply));
        } catch (TimeoutException e) {
            failure = "timed out after " + settings.timeout().toMillis() + " ms";
        } catch (ExecutionException e) {
            failure = e.getCause() instanceof java.net.http.HttpTimeoutException
                    ? "timed out after " + settings.timeout().toMillis() + " ms"
                    : "could not be reached: " + (e.getCause() == null ? e : e.getCause());
        } catch (Unreadable e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        String reason = "external classifier " + settings.url() + " " + failure;
        return new ContentClassification(
                id,
                settings.model(),
                ContentClassification.Read.REQUEST,
                List.of(),
                settings.failClosed() ? capabilities : List.of(),
                List.of(),
                Map.of(),
                true,
                List.of(
                        settings.failClosed()
                                ? reason + "; capabilities " + String.join(", ", capabilities)
                                        + " assumed present (fail closed)"
                                : reason + "; decided without it (classification.external.on_failure: allow)"));
    }

    /** Answers are not sent to the external classifier: this monitor never checks. */
    @Override
    public AnswerMonitor monitor() {
        return new AnswerMonitor() {
            @Override
            public Optional<ContentClassification> feed(CharSequence text) {
                return Optional.empty();
            }

            @Override
            public Optional<ContentClassification> finish() {
                return Optional.empty();
            }
        };
    }

    @Override
    public List<String> capabilities() {
        return capabilities;
    }

    private JsonNode call(Conversation conversation)
            throws TimeoutException, ExecutionException, InterruptedException, Unreadable {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(conversation)));
        if (!settings.apiKey().isEmpty()) {
            b.header("authorization", "Bearer " + settings.apiKey());
        }
        CompletableFuture<HttpResponse<byte[]>> f =
                client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = f.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        }
        if (response.statusCode() / 100 != 2) {
            throw new Unreadable("answered HTTP " + response.statusCode());
        }
        try {
            JsonNode n = Json.mapper().readTree(response.body());
            if (n == null || !n.isObject()) {
                throw new Unreadable("answered something that is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new Unreadable("answered malformed JSON");
        }
    }

    private String body(Conversation conversation) {
        return Json.write(g -> {
            g.writeStartObject();
            if (!settings.model().isEmpty()) {
                g.writeStringField("model", settings.model());
            }
            if (settings.kind() == Kind.MODERATION) {
                g.writeStringField("input", transcript(conversation));
            } else {
                g.writeArrayFieldStart("messages");
                if (!settings.prompt().isEmpty()) {
                    message(g, "user", render(conversation));
                } else {
                    for (Conversation.Part p : conversation.parts()) {
                        if (p instanceof Conversation.Part.Text t) {
                            message(g, t.role() == Conversation.Role.ASSISTANT ? "assistant" : "user", t.text());
                        }
                    }
                }
                g.writeEndArray();
                g.writeNumberField("temperature", 0);
                g.writeNumberField("max_tokens", 64);
            }
            g.writeEndObject();
        });
    }

    private static void message(com.fasterxml.jackson.core.JsonGenerator g, String role, String content)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeStringField("content", content);
        g.writeEndObject();
    }

    private String render(Conversation conversation) {
        String request = "";
        for (Conversation.Part p : conversation.parts()) {
            if (p instanceof Conversation.Part.Text t && t.role() == Conversation.Role.USER) {
                request = t.text();
            }
        }
        return settings.prompt()
                .replace("{conversation}", transcript(conversation))
                .replace("{request}", request);
    }

    /** The text parts as {@code role: text} paragraphs. */
    static String transcript(Conversation conversation) {
        StringBuilder s = new StringBuilder();
        for (Conversation.Part p : conversation.parts()) {
            if (p instanceof Conversation.Part.Text t) {
                if (!s.isEmpty()) {
                    s.append("\n\n");
                }
                s.append(t.role().label()).append(": ").append(t.text());
            }
        }
        return s.toString();
    }

    /** Labels found as words of the guard model's reply, with score 1. */
    private Map<String, Double> chatLabels(JsonNode reply) throws Unreadable {
        JsonNode content = reply.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new Unreadable("answered no choices[0].message.content");
        }
        Map<String, Double> found = new LinkedHashMap<>();
        Matcher m = WORD.matcher(content.asText());
        while (m.find()) {
            String word = m.group().toLowerCase(Locale.ROOT);
            if (settings.labels().containsKey(word)) {
                found.put(word, 1.0);
            }
        }
        return found;
    }

    /** Categories flagged (or scored at the threshold), with their scores. */
    private Map<String, Double> moderationLabels(JsonNode reply) throws Unreadable {
        JsonNode result = reply.path("results").path(0);
        if (!result.isObject()) {
            throw new Unreadable("answered no results[0]");
        }
        Map<String, Double> found = new LinkedHashMap<>();
        for (String label : settings.labels().keySet()) {
            JsonNode score = property(result.path("category_scores"), label);
            boolean counts = settings.threshold().isPresent()
                    ? score.isNumber()
                            && score.asDouble() >= settings.threshold().get()
                    : property(result.path("categories"), label).asBoolean(false);
            if (counts) {
                found.put(label, score.isNumber() ? score.asDouble() : 1.0);
            }
        }
        return found;
    }

    /** Endpoints name their categories in their own case ({@code violence/graphic}, {@code S14}). */
    private static JsonNode property(JsonNode object, String lowerCaseName) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
                return e.getValue();
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** Each capability found with the highest score among its labels. */
    private ContentClassification found(Map<String, Double> labels) {
        Map<String, Double> scores = new LinkedHashMap<>();
        capabilities.forEach(c -> scores.put(c, 0.0));
        labels.forEach((label, score) -> scores.merge(settings.labels().get(label), score, Math::max));
        List<ContentClassification.Finding> findings = new ArrayList<>();
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            if (labels.keySet().stream().anyMatch(l -> settings.labels().get(l).equals(e.getKey()))) {
                findings.add(new ContentClassification.Finding(
                        e.getKey(), e.getValue(), settings.threshold().orElse(0.0), "conversation", "user", 0, 0));
            }
        }
        findings.sort((a, b) -> Double.compare(b.score(), a.score()));
        return new ContentClassification(
                id,
                settings.model(),
                ContentClassification.Read.REQUEST,
                findings,
                List.of(),
                List.of(),
                scores,
                true,
                List.of());
    }

    /** The endpoint answered, but not something this classifier can read. */
    private static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
