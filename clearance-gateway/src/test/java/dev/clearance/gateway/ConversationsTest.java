package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.Json;
import dev.clearance.gateway.Conversation.Part.NonText;
import dev.clearance.gateway.Conversation.Part.Text;
import dev.clearance.gateway.Conversation.Role;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationsTest {
    static Conversation read(String endpoint, String json) {
        return Conversations.of(endpoint, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void openai_chat_reads_every_role_and_content_parts_and_notes_images() {
        Conversation c = read("/v1/chat/completions", """
                {"model":"m","messages":[
                  {"role":"system","content":"You are a pentest assistant."},
                  {"role":"developer","content":[{"type":"text","text":"Answer tersely."}]},
                  {"role":"user","content":[{"type":"text","text":"Look at this."},{"type":"image_url","image_url":{"url":"data:x"}}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{\\"q\\":1}"}}]},
                  {"role":"tool","tool_call_id":"t","content":"result text"},
                  {"role":"user","content":"now the real question"}]}
                """);
        assertThat(c.parts())
                .containsExactly(
                        new Text(Role.SYSTEM, "messages[0].content", "You are a pentest assistant."),
                        new Text(Role.SYSTEM, "messages[1].content[0].text", "Answer tersely."),
                        new Text(Role.USER, "messages[2].content[0].text", "Look at this."),
                        new NonText(Role.USER, "messages[2].content[1]", "image_url"),
                        new Text(Role.ASSISTANT, "messages[3].tool_calls[0].function.arguments", "{\"q\":1}"),
                        new Text(Role.TOOL, "messages[4].content", "result text"),
                        new Text(Role.USER, "messages[5].content", "now the real question"));
    }

    @Test
    void openai_completions_read_the_prompt_and_note_token_prompts() {
        assertThat(read("/v1/completions", "{\"model\":\"m\",\"prompt\":\"hello\"}")
                        .parts())
                .containsExactly(new Text(Role.USER, "prompt", "hello"));
        assertThat(read("/v1/completions", "{\"model\":\"m\",\"prompt\":[\"a\",[1,2,3]]}")
                        .parts())
                .containsExactly(
                        new Text(Role.USER, "prompt[0]", "a"),
                        new NonText(Role.USER, "prompt[1]", Conversations.TOKENS));
    }

    @Test
    void openai_responses_read_instructions_input_items_and_tool_output() {
        Conversation c = read("/v1/responses", """
                {"model":"m","instructions":"be brief","input":[
                  {"role":"user","content":[{"type":"input_text","text":"first"},{"type":"input_audio","input_audio":{}}]},
                  {"type":"function_call_output","call_id":"c","output":"tool said"},
                  {"type":"message","role":"user","content":"second"}]}
                """);
        assertThat(c.parts())
                .containsExactly(
                        new Text(Role.SYSTEM, "instructions", "be brief"),
                        new Text(Role.USER, "input[0].content[0].text", "first"),
                        new NonText(Role.USER, "input[0].content[1]", "input_audio"),
                        new Text(Role.TOOL, "input[1].output", "tool said"),
                        new Text(Role.USER, "input[2].content", "second"));
        assertThat(read("/v1/responses", "{\"model\":\"m\",\"input\":\"just text\"}")
                        .parts())
                .containsExactly(new Text(Role.USER, "input", "just text"));
    }

    @Test
    void anthropic_messages_read_system_blocks_tool_results_and_note_images() {
        Conversation c = read("/v1/messages", """
                {"model":"m","max_tokens":5,"system":[{"type":"text","text":"sys"}],"messages":[
                  {"role":"user","content":"q1"},
                  {"role":"assistant","content":[{"type":"text","text":"a1"},{"type":"tool_use","id":"t","name":"f","input":{"x":"y"}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"r1"},{"type":"image","source":{}}]},
                    {"type":"text","text":"q2"}]}]}
                """);
        assertThat(c.parts())
                .containsExactly(
                        new Text(Role.SYSTEM, "system[0].text", "sys"),
                        new Text(Role.USER, "messages[0].content", "q1"),
                        new Text(Role.ASSISTANT, "messages[1].content[0].text", "a1"),
                        new Text(Role.ASSISTANT, "messages[1].content[1].input", "{\"x\":\"y\"}"),
                        new Text(Role.TOOL, "messages[2].content[0].content[0].text", "r1"),
                        new NonText(Role.TOOL, "messages[2].content[0].content[1]", "image"),
                        new Text(Role.USER, "messages[2].content[1].text", "q2"));
        assertThat(read("/v1/messages", "{\"model\":\"m\",\"system\":\"plain\",\"messages\":[]}")
                        .parts())
                .containsExactly(new Text(Role.SYSTEM, "system", "plain"));
    }

    @Test
    void embeddings_and_empty_conversations_have_no_parts() {
        assertThat(read("/v1/embeddings", "{\"model\":\"m\",\"input\":\"x\"}").parts())
                .isEmpty();
        assertThat(read("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}")
                        .parts())
                .isEmpty();
        assertThat(read("/v1/chat/completions", "{\"model\":\"m\"}").parts()).isEmpty();
    }

    @Test
    void a_key_given_twice_anywhere_is_refused_since_the_upstream_might_read_the_other_copy() {
        assertThatThrownBy(
                        () -> read(
                                "/v1/chat/completions",
                                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"benign\",\"content\":\"evil\"}]}"))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.error().status()).isEqualTo(400);
                    assertThat(r.error().message()).contains("duplicate key").contains("content");
                });
    }

    @Test
    void content_of_a_type_the_api_does_not_have_is_refused_naming_the_field() {
        assertThatThrownBy(() -> read(
                        "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":42}]}"))
                .isInstanceOfSatisfying(
                        Rejection.class, r -> assertThat(r.error().message()).contains("messages[0].content"));
        assertThatThrownBy(() -> read("/v1/messages", "{\"model\":\"m\",\"system\":{\"a\":1}}"))
                .isInstanceOfSatisfying(
                        Rejection.class, r -> assertThat(r.error().message()).contains("system"));
    }

    @Test
    void a_prompt_line_reads_as_clearance_classify_reads_it() throws Exception {
        assertThat(Conversations.ofPromptLine(Json.mapper().readTree("{\"id\":\"1\",\"prompt\":\"hi\"}"))
                        .parts())
                .containsExactly(new Text(Role.USER, "prompt", "hi"));
        assertThat(Conversations.ofPromptLine(
                                Json.mapper().readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .parts())
                .isEqualTo(List.of(new Text(Role.USER, "messages[0].content", "hi")));
        assertThatThrownBy(() -> Conversations.ofPromptLine(Json.mapper().readTree("{\"id\":\"1\"}")))
                .isInstanceOf(Rejection.class);
    }
}
