package dev.clearance.cli.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * The fenced code blocks of a Markdown text, as the documentation test reads them: the shell blocks
 * it runs and the text blocks that state what they print.
 */
record Markdown(List<Markdown.Block> blocks) {

    /**
     * One fenced block.
     *
     * @param info       the words after the opening fence ({@code sh}, {@code sh background}, {@code text})
     * @param body       the lines between the fences
     * @param line       1-based line of the opening fence
     * @param afterBlock whether only blank lines separate it from the block before
     */
    record Block(List<String> info, String body, int line, boolean afterBlock) {
        String language() {
            return info.isEmpty() ? "" : info.get(0);
        }

        boolean has(String word) {
            return info.contains(word);
        }
    }

    /**
     * The blocks of {@code text}; with {@code section}, only those under the heading {@code ## section}
     * (up to the next heading of that level).
     */
    static Markdown parse(String text, String section) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        boolean inSection = section == null;
        boolean onlyBlankSinceBlock = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (section != null && l.startsWith("## ")) {
                inSection = l.substring(3).strip().equals(section);
                onlyBlankSinceBlock = false;
                continue;
            }
            if (!l.startsWith("```")) {
                if (!l.isBlank()) {
                    onlyBlankSinceBlock = false;
                }
                continue;
            }
            int start = i;
            List<String> info = List.of(l.substring(3).strip().split("\\s+")).stream()
                    .filter(w -> !w.isEmpty())
                    .toList();
            StringBuilder body = new StringBuilder();
            for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
                body.append(lines[i]).append('\n');
            }
            if (inSection) {
                blocks.add(new Block(info, body.toString(), start + 1, onlyBlankSinceBlock));
            }
            onlyBlankSinceBlock = true;
        }
        return new Markdown(List.copyOf(blocks));
    }
}
