package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI and Anthropic Java SDKs, unchanged but for base URL and key, as clients of the gateway. */
class OfficialSdkTest {
    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    OpenAIClient openAi(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + f.gateway.port() + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    AnthropicClient anthropic(String key) {
        return AnthropicOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + f.gateway.port())
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("hi")
                .build();
    }

    static MessageCreateParams message(String model) {
        return MessageCreateParams.builder()
                .model(model)
                .maxTokens(64)
                .addUserMessage("hi")
                .build();
    }

    @Test
    void the_openai_sdk_gets_completions_plain_and_streamed_for_an_allowed_caller() {
        OpenAIClient client = openAi(f.aliceKey);

        ChatCompletion completion = client.chat().completions().create(chat("frontier-x"));
        assertThat(completion.choices().get(0).message().content()).contains("hello from the test upstream");

        List<String> pieces = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(chat("frontier-x"))) {
            stream.stream()
                    .forEach(chunk ->
                            chunk.choices().forEach(c -> c.delta().content().ifPresent(pieces::add)));
        }
        assertThat(String.join("", pieces)).isEqualTo("w0 w1 w2 w3 w4 ");
    }

    @Test
    void the_openai_sdk_raises_its_permission_error_naming_the_directive_for_a_denied_caller() {
        assertThatThrownBy(() -> openAi(f.chenKey).chat().completions().create(chat("frontier-x")))
                .isInstanceOf(com.openai.errors.PermissionDeniedException.class)
                .hasMessageContaining("dir-2026-017-frontier-foreign-nationals");
        assertThatThrownBy(
                        () -> openAi("clr_aaaaaaaa_wrong").chat().completions().create(chat("open-small")))
                .isInstanceOf(com.openai.errors.UnauthorizedException.class);
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void the_openai_sdk_lists_only_the_models_the_caller_may_use() {
        List<String> ids = new ArrayList<>();
        openAi(f.chenKey).models().list().autoPager().forEach(m -> ids.add(m.id()));
        assertThat(ids).containsExactly("open-small", "offline-model");
    }

    @Test
    void the_anthropic_sdk_gets_messages_plain_and_streamed_for_an_allowed_caller() {
        AnthropicClient client = anthropic(f.aliceKey);

        Message m = client.messages().create(message("frontier-x"));
        assertThat(m.content().get(0).asText().text()).isEqualTo("hello from the test upstream");

        List<String> pieces = new ArrayList<>();
        try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream =
                client.messages().createStreaming(message("frontier-x"))) {
            stream.stream()
                    .forEach(e -> e.contentBlockDelta()
                            .ifPresent(d -> d.delta().text().ifPresent(t -> pieces.add(t.text()))));
        }
        assertThat(String.join("", pieces)).isEqualTo("w0 w1 w2 w3 w4 ");
    }

    @Test
    void the_anthropic_sdk_raises_its_permission_error_naming_the_directive_for_a_denied_caller() {
        assertThatThrownBy(() -> anthropic(f.chenKey).messages().create(message("frontier-x")))
                .isInstanceOf(com.anthropic.errors.PermissionDeniedException.class)
                .hasMessageContaining("dir-2026-017-frontier-foreign-nationals");
        assertThatThrownBy(() -> anthropic("clr_aaaaaaaa_wrong").messages().create(message("open-small")))
                .isInstanceOf(com.anthropic.errors.UnauthorizedException.class);
        assertThat(f.upstream.received).isEmpty();
    }

    @Test
    void both_sdks_raise_an_error_when_a_policy_change_cuts_their_stream() throws Exception {
        f.upstream.interval = Duration.ofMillis(50);
        f.upstream.streamWords = 1000;
        List<Throwable> failures = new ArrayList<>();
        Thread openAiReader = Thread.ofVirtual().start(() -> {
            try (StreamResponse<ChatCompletionChunk> s =
                    openAi(f.chenKey).chat().completions().createStreaming(chat("open-small"))) {
                s.stream().forEach(chunk -> {});
            } catch (RuntimeException e) {
                synchronized (failures) {
                    failures.add(e);
                }
            }
        });
        Thread anthropicReader = Thread.ofVirtual().start(() -> {
            try (var s = anthropic(f.chenKey).messages().createStreaming(message("open-small"))) {
                s.stream().forEach(e -> {});
            } catch (RuntimeException e) {
                synchronized (failures) {
                    failures.add(e);
                }
            }
        });
        while (f.gateway.activeStreams() < 2) {
            Thread.sleep(10);
        }

        f.admin(
                "PUT",
                "/admin/v1/directives/restrict-open-models",
                StreamingTest.RESTRICT_OPEN_MODELS,
                "application/yaml");

        openAiReader.join(Duration.ofSeconds(5));
        anthropicReader.join(Duration.ofSeconds(5));
        assertThat(failures).hasSize(2).allSatisfy(e -> assertThat(e).hasMessageContaining("restrict-open-models"));
    }
}
