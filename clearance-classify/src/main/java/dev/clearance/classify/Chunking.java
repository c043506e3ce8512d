package dev.clearance.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts an {@link Input} into the chunks that are classified: token windows of every text part,
 * plus one window of the latest user turn read together with the end of the turn before it (a
 * follow-up such as "now make it undetectable" means what the previous turn says). The work is
 * bounded by a cap on chunks: the request comes first, then the context window, the system prompt,
 * and the other parts from the newest; a part too long for what is left of the cap is read at its
 * head and its tail, and the result says it is incomplete.
 */
final class Chunking {
    /** Characters of the previous turn's end and of the request's start read together. */
    static final int CONTEXT_CHARS = 300;
    /** A generous bound on characters per token, to cut long text before tokenising it. */
    private static final int CHARS_PER_TOKEN = 8;

    private Chunking() {}

    /** A chunk: characters [start, end) of part {@code part}, with the window's token ids. */
    record Chunk(int part, Role role, int start, int end, boolean withPrevious, String text, long[] ids) {}

    /** The chunks of an input, what was skipped, and whether everything was read. */
    record Chunks(List<Chunk> chunks, List<Classification.Skipped> skipped, boolean complete) {}

    static Chunks of(Input input, Encoder encoder, int maxChunks) {
        List<Input.Part> parts = input.parts();
        List<Classification.Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Input.Part.NonText n) {
                skipped.add(new Classification.Skipped(i, n.role(), n.kind()));
            }
        }
        List<Chunk> out = new ArrayList<>();
        boolean complete = true;
        int request = input.request();
        for (int i : order(parts, request)) {
            int left = maxChunks - out.size();
            Input.Part.Text t = (Input.Part.Text) parts.get(i);
            if (left <= 0) {
                complete &= t.text().isBlank();
                continue;
            }
            complete &= part(i, t, encoder, left, out);
            if (i == request) {
                context(parts, request, encoder, out, maxChunks);
            }
        }
        return new Chunks(out, skipped, complete);
    }

    /** Text parts in the order they are read: the request, system prompts, then the rest newest first. */
    private static List<Integer> order(List<Input.Part> parts, int request) {
        List<Integer> order = new ArrayList<>();
        if (request >= 0) {
            order.add(request);
        }
        for (int i = 0; i < parts.size(); i++) {
            if (i != request && parts.get(i) instanceof Input.Part.Text t && t.role() == Role.SYSTEM) {
                order.add(i);
            }
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            if (i != request && parts.get(i) instanceof Input.Part.Text t && t.role() != Role.SYSTEM) {
                order.add(i);
            }
        }
        return order;
    }

    /** Adds the windows of one part within {@code left}; false when some of its text was not read. */
    private static boolean part(int index, Input.Part.Text part, Encoder encoder, int left, List<Chunk> out) {
        String text = part.text();
        int stepChars = (Encoder.WINDOW_TOKENS - Encoder.STRIDE) * CHARS_PER_TOKEN;
        int budget = left * stepChars;
        List<Encoder.Window> windows = new ArrayList<>();
        boolean complete = true;
        if (text.length() <= budget) {
            windows.addAll(encoder.windows(text, 0, left + 1));
        } else {
            // Instructions sit at the start or the end of pasted material: read both ends.
            complete = false;
            int half = left / 2;
            int headEnd = safeCut(text, budget / 2);
            int tailStart = safeCut(text, text.length() - (budget - budget / 2));
            windows.addAll(encoder.windows(text.substring(0, headEnd), 0, half));
            List<Encoder.Window> tail = encoder.windows(text.substring(tailStart), tailStart, Integer.MAX_VALUE);
            windows.addAll(tail.subList(Math.max(0, tail.size() - (left - half)), tail.size()));
        }
        if (windows.size() > left) {
            complete = false;
            windows = windows.subList(0, left);
        }
        for (Encoder.Window w : windows) {
            out.add(new Chunk(
                    index, part.role(), w.start(), w.end(), false, text.substring(w.start(), w.end()), w.ids()));
        }
        return complete;
    }

    private static void context(List<Input.Part> parts, int request, Encoder encoder, List<Chunk> out, int maxChunks) {
        if (request == 0 || out.size() >= maxChunks || !(parts.get(request - 1) instanceof Input.Part.Text prev)) {
            return;
        }
        String before = prev.text().strip();
        String now = ((Input.Part.Text) parts.get(request)).text();
        if (before.isEmpty() || now.isBlank()) {
            return;
        }
        String tail = before.substring(safeCut(before, Math.max(0, before.length() - CONTEXT_CHARS)));
        String head = now.substring(0, safeCut(now, Math.min(now.length(), CONTEXT_CHARS)));
        String joined = tail + "\n" + head;
        List<Encoder.Window> w = encoder.windows(joined, 0, 1);
        if (!w.isEmpty()) {
            int end = Math.max(0, Math.min(head.length(), w.get(0).end() - tail.length() - 1));
            out.add(new Chunk(
                    request,
                    Role.USER,
                    0,
                    end,
                    true,
                    joined.substring(w.get(0).start(), w.get(0).end()),
                    w.get(0).ids()));
        }
    }

    /**
     * The indices of the chunks to embed within {@code tokens} model tokens, in the order chosen:
     * the request's first window (the first chunk, always), the request read with the turn before
     * it, then the others by descending {@code risk} (earlier first on a tie); a chunk that does not
     * fit what is left is passed over for smaller ones.
     */
    static int[] toEmbed(List<Chunk> chunks, double[] risk, int tokens) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> {
            int pa = priority(chunks, a);
            int pb = priority(chunks, b);
            return pa != pb ? Integer.compare(pa, pb) : Double.compare(risk[b], risk[a]);
        });
        List<Integer> chosen = new ArrayList<>();
        int left = tokens;
        for (int i : order) {
            int cost = chunks.get(i).ids().length;
            if (chosen.isEmpty() || cost <= left) {
                chosen.add(i);
                left -= cost;
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int priority(List<Chunk> chunks, int i) {
        return i == 0 ? 0 : chunks.get(i).withPrevious() ? 1 : 2;
    }

    /** The embeddings of {@code chunks}, in order (none for none). */
    static float[][] embed(List<Chunk> chunks, Encoder encoder) {
        return chunks.isEmpty()
                ? new float[0][]
                : encoder.embed(chunks.stream()
                        .map(c -> new Encoder.Window(c.ids(), c.start(), c.end()))
                        .toList());
    }

    /** Words a sentence needs to be read on its own: shorter fragments say too little. */
    private static final int SENTENCE_WORDS = 4;

    /**
     * The sentences of {@code text}: split after '.', '!', '?' (and their CJK forms) followed by
     * white space, and at line breaks; fragments of fewer than {@link #SENTENCE_WORDS} words are
     * left out. The first and last may be cut off by the window's edges.
     */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            boolean end = i == text.length()
                    || text.charAt(i) == '\n'
                    || "。！？".indexOf(text.charAt(i)) >= 0
                    || (".!?".indexOf(text.charAt(i)) >= 0
                            && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1))));
            if (end) {
                String s = text.substring(start, Math.min(text.length(), i + 1)).strip();
                if (s.split("\\s+").length >= SENTENCE_WORDS) {
                    out.add(s);
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** {@code at}, moved back off the middle of a surrogate pair. */
    private static int safeCut(String s, int at) {
        int i = Math.max(0, Math.min(at, s.length()));
        return i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i)) ? i - 1 : i;
    }
}
