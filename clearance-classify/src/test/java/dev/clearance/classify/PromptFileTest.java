package dev.clearance.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.PolicyException;
import org.junit.jupiter.api.Test;

class PromptFileTest {
    @Test
    void a_prompt_line_is_one_user_turn() throws Exception {
        PromptFile p = PromptFile.line("{\"id\":\"a\",\"prompt\":\"hello\"}", "f.jsonl", 1, false);
        assertThat(p.id()).isEqualTo("a");
        assertThat(p.input().parts()).containsExactly(new Input.Part.Text(Role.USER, "hello"));
    }

    @Test
    void openai_messages_keep_roles_and_note_images() throws Exception {
        PromptFile p = PromptFile.line("""
                {"messages":[{"role":"developer","content":"be brief"},
                  {"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"x"}}]},
                  {"role":"assistant","content":"a cat"},{"role":"tool","content":"{\\"ok\\":true}"}],
                 "expect":["CBRN"],"kind":"k"}""".replace("\n", ""), "f.jsonl", 7, true);
        assertThat(p.id()).isEqualTo("f.jsonl:7");
        assertThat(p.input().parts())
                .containsExactly(
                        new Input.Part.Text(Role.SYSTEM, "be brief"),
                        new Input.Part.Text(Role.USER, "what is this?"),
                        new Input.Part.NonText(Role.USER, "image_url"),
                        new Input.Part.Text(Role.ASSISTANT, "a cat"),
                        new Input.Part.Text(Role.TOOL, "{\"ok\":true}"));
        assertThat(p.expect()).containsExactly("cbrn");
        assertThat(p.kind()).isEqualTo("k");
    }

    @Test
    void bad_lines_are_refused_naming_the_file_line_and_field() {
        assertThatThrownBy(() -> PromptFile.line("{\"id\":\"a\"", "f.jsonl", 3, false))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("f.jsonl:3: not valid JSON");
        assertThatThrownBy(() -> PromptFile.line("{\"id\":\"a\",\"prompt\":\"x\",\"colour\":1}", "f.jsonl", 4, false))
                .hasMessage("f.jsonl:4: unknown field 'colour' (valid: id, prompt, messages, expect, kind)");
        assertThatThrownBy(() -> PromptFile.line("{\"id\":\"a\"}", "f.jsonl", 5, false))
                .hasMessage("f.jsonl:5: exactly one of 'prompt' or 'messages' is required");
        assertThatThrownBy(() ->
                        PromptFile.line("{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "f.jsonl", 6, false))
                .hasMessage("f.jsonl:6: field 'messages[0].role': 'robot' is not valid "
                        + "(valid: system, developer, user, assistant, tool)");
        assertThatThrownBy(() -> PromptFile.line("{\"prompt\":\"x\"}", "f.jsonl", 8, true))
                .hasMessage("f.jsonl:8: missing field 'expect' (the capabilities the prompt asks for; [] for none)");
    }
}
