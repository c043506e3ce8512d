package dev.clearance.classify;

import java.util.List;
import java.util.Objects;

/**
 * What is classified: the parts of a conversation in order (system prompt, user turns, assistant
 * turns, tool results). The last user part is the request; parts that are not text (images, audio)
 * are kept so that the classification can say they were not looked at.
 */
public record Input(List<Part> parts) {
    public Input {
        parts = List.copyOf(parts);
    }

    /** A single prompt, as one user turn. */
    public static Input prompt(String text) {
        return new Input(List.of(new Part.Text(Role.USER, text)));
    }

    /** Index of the latest user text part (the request), or -1 when there is none. */
    public int request() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            if (parts.get(i) instanceof Part.Text t && t.role() == Role.USER) {
                return i;
            }
        }
        return -1;
    }

    /** One part of the input. */
    public sealed interface Part {
        Role role();

        /** Text written by {@code role}; any string is accepted, including empty and odd text. */
        record Text(Role role, String text) implements Part {
            public Text {
                Objects.requireNonNull(role, "role");
                text = text == null ? "" : text;
            }
        }

        /** A part that is not text ({@code kind}: image, audio, file, ...); skipped, and noted. */
        record NonText(Role role, String kind) implements Part {
            public NonText {
                Objects.requireNonNull(role, "role");
                Objects.requireNonNull(kind, "kind");
            }
        }
    }
}
