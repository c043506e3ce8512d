package dev.clearance.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The parts of a model call a content classifier reads, in the order the caller sent them: system
 * prompt, user turns, assistant turns, tool results. The latest user text is the request. Each part
 * says where it is in the caller's body (a JSON path such as {@code messages[2].content[0]}), so a
 * finding can name the part that triggered it; parts that are not text (images, audio, files) are
 * kept so that the record can say they were not read.
 */
public record Conversation(List<Part> parts) {
    public Conversation {
        parts = List.copyOf(parts);
    }

    /** One prompt, as a single user turn. */
    public static Conversation prompt(String text) {
        return new Conversation(List.of(new Part.Text(Role.USER, "prompt", text)));
    }

    /** Who wrote a part. */
    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT,
        TOOL;

        /** The lower-case name used in JSON and the decision log. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One part of a conversation. */
    public sealed interface Part {
        Role role();

        /** Where the part is in the caller's body. */
        String path();

        /** Text written by {@code role}; any string, including empty. */
        record Text(Role role, String path, String text) implements Part {
            public Text {
                Objects.requireNonNull(role, "role");
                Objects.requireNonNull(path, "path");
                text = text == null ? "" : text;
            }
        }

        /** A part that is not text ({@code kind}: {@code image_url}, {@code input_audio}, {@code document}, ...). */
        record NonText(Role role, String path, String kind) implements Part {
            public NonText {
                Objects.requireNonNull(role, "role");
                Objects.requireNonNull(path, "path");
                Objects.requireNonNull(kind, "kind");
            }
        }
    }
}
