package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The body read once, and rewritten only where its model value is. */
class RequestBodyTest {
    static RequestBody parse(String json) {
        return RequestBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static String text(RequestBody b) {
        return new String(b.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void only_the_model_value_is_rewritten_whatever_comes_before_and_after_it() {
        String before = "{\"messages\":[{\"content\":\"naïve café 東京 \\\"model\\\": x\"}],\n\t\"model\"  :  ";
        String after = "  ,\"stream\":true , \"extra\" : {\"model\":\"nested-is-not-read\"}}";
        RequestBody body = parse(before + "\"LIBRARY/Mythos\\u2011" + "5\"" + after);

        RequestBody rewritten = body.withModel("mythos-5");

        assertThat(body.model()).isEqualTo("LIBRARY/Mythos\u20115");
        assertThat(text(rewritten)).isEqualTo(before + "\"mythos-5\"" + after);
        assertThat(rewritten.stream()).isTrue();
        assertThat(parse(text(rewritten)).model()).isEqualTo("mythos-5");
    }

    @Test
    void a_body_already_naming_the_id_is_kept_as_the_same_bytes() {
        RequestBody body = parse("{\"model\":\"mythos-5\"}");
        assertThat(body.withModel("mythos-5")).isSameAs(body);
    }

    @Test
    void an_id_that_needs_escaping_is_written_as_valid_json() {
        RequestBody rewritten = parse("{\"model\":\"x\",\"n\":1}").withModel("a\"b\\c");
        assertThat(text(rewritten)).isEqualTo("{\"model\":\"a\\\"b\\\\c\",\"n\":1}");
        assertThat(parse(text(rewritten)).model()).isEqualTo("a\"b\\c");
    }

    @Test
    void a_nested_model_key_or_one_inside_a_string_is_not_a_look_alike() {
        assertThat(parse("{\"model\":\"m\",\"metadata\":{\"Model\":\"x\"},\"note\":\"Model\"}")
                        .model())
                .isEqualTo("m");
    }

    @Test
    void a_look_alike_key_is_refused_with_its_position() {
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\n \"Model\":\"x\"}"))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.error().code()).isEqualTo("ambiguous_field");
                    assertThat(r.error().message()).contains("\"Model\"").contains("line 2");
                });
    }
}
