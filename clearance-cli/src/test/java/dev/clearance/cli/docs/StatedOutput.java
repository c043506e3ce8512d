package dev.clearance.cli.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a document says a command prints: the lines of a {@code text} block. Each must match a whole
 * line of the output, a different one each, in any order. Runs of blanks count as one blank (so
 * column alignment may change, the content may not), and {@code <anything>} stands for text that
 * differs from run to run: a key, a hash, a time, a port.
 */
record StatedOutput(List<String> lines) {
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]*>");

    static StatedOutput of(String body) {
        return new StatedOutput(
                body.lines().map(StatedOutput::normal).filter(l -> !l.isEmpty()).toList());
    }

    /** The first stated line the output does not show, if any. */
    Optional<String> missingFrom(String output) {
        List<String> actual =
                new ArrayList<>(output.lines().map(StatedOutput::normal).toList());
        for (String stated : lines) {
            Pattern p = pattern(stated);
            int found = -1;
            for (int i = 0; i < actual.size(); i++) {
                if (actual.get(i) != null && p.matcher(actual.get(i)).matches()) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                return Optional.of(stated);
            }
            actual.set(found, null);
        }
        return Optional.empty();
    }

    static Pattern pattern(String stated) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(stated);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(stated.substring(at, m.start()))).append(".+?");
            at = m.end();
        }
        regex.append(Pattern.quote(stated.substring(at)));
        return Pattern.compile(regex.toString());
    }

    private static String normal(String line) {
        return line.strip().replaceAll("\\s+", " ");
    }
}
