package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnswerTextTest {
    @Test
    void streamed_text_is_read_from_each_providers_delta() {
        assertThat(AnswerText.ofEvent("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}"))
                .isEqualTo("Hi");
        assertThat(AnswerText.ofEvent("{\"choices\":[{\"index\":0,\"text\":\"Hi\"}]}"))
                .isEqualTo("Hi");
        assertThat(AnswerText.ofEvent("{\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}"))
                .isEqualTo("Hi");
        assertThat(
                        AnswerText.ofEvent(
                                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"))
                .isEqualTo("Hi");
    }

    @Test
    void events_without_text_read_as_empty() {
        assertThat(AnswerText.ofEvent("[DONE]")).isEmpty();
        assertThat(AnswerText.ofEvent("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}"))
                .isEmpty();
        assertThat(
                        AnswerText.ofEvent(
                                "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\"}}"))
                .isEmpty();
        assertThat(AnswerText.ofEvent("{not json")).isEmpty();
    }

    @Test
    void a_whole_answer_is_read_in_each_providers_shape() {
        assertThat(body(DemoUpstream.chatCompletion("m", "chat text"))).isEqualTo("chat text");
        assertThat(body(DemoUpstream.completion("m", "completion text"))).isEqualTo("completion text");
        assertThat(body(DemoUpstream.response("m", "response text"))).isEqualTo("response text");
        assertThat(body(DemoUpstream.anthropicMessage("m", "message text"))).isEqualTo("message text");
        assertThat(body(DemoUpstream.embeddings("m"))).isEmpty();
        assertThat(AnswerText.ofBody("not json".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    private static String body(String json) {
        return AnswerText.ofBody(json.getBytes(StandardCharsets.UTF_8));
    }
}
