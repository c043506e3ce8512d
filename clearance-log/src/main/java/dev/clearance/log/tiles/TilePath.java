package dev.clearance.log.tiles;

import java.util.Optional;

/**
 * A C2SP tlog-tiles resource path (relative to the log's prefix): {@code checkpoint},
 * {@code tile/<L>/<N>[.p/<W>]} or {@code tile/entries/<N>[.p/<W>]}. The index {@code N} is
 * written in three-digit groups, every group but the last prefixed with {@code x}
 * (1234067 is {@code x001/x234/067}). Only the one canonical spelling of a path parses.
 *
 * @param level tile level (0..63) for hash tiles, -1 for entry bundles and the checkpoint
 * @param width number of hashes or entries asked for: 256 for a full tile, 1..255 for a partial one
 */
public record TilePath(Kind kind, int level, long index, int width) {
    public static final int TILE_WIDTH = 256;
    public static final int TILE_HEIGHT = 8;

    /** What the path names. */
    public enum Kind {
        CHECKPOINT,
        HASHES,
        ENTRIES
    }

    public static TilePath checkpoint() {
        return new TilePath(Kind.CHECKPOINT, -1, 0, 0);
    }

    public static TilePath hashes(int level, long index, int width) {
        return new TilePath(Kind.HASHES, level, index, width);
    }

    public static TilePath entries(long index, int width) {
        return new TilePath(Kind.ENTRIES, -1, index, width);
    }

    /** The canonical path, without a leading slash. */
    public String path() {
        return switch (kind) {
            case CHECKPOINT -> "checkpoint";
            case HASHES -> "tile/" + level + "/" + encodeIndex(index) + partial();
            case ENTRIES -> "tile/entries/" + encodeIndex(index) + partial();
        };
    }

    private String partial() {
        return width == TILE_WIDTH ? "" : ".p/" + width;
    }

    /** Encodes a tile index as three-digit groups, e.g. {@code x001/x234/067}. */
    public static String encodeIndex(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a tile index is not negative: " + n);
        }
        String s = String.format("%03d", n % 1000);
        for (n /= 1000; n > 0; n /= 1000) {
            s = String.format("x%03d/", n % 1000) + s;
        }
        return s;
    }

    /** Parses a path; empty when it is not a canonical tlog-tiles path. */
    public static Optional<TilePath> parse(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.equals("checkpoint")) {
            return Optional.of(checkpoint());
        }
        if (!p.startsWith("tile/")) {
            return Optional.empty();
        }
        String rest = p.substring("tile/".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String levelPart = rest.substring(0, slash);
        String indexPart = rest.substring(slash + 1);
        int width = TILE_WIDTH;
        int dotP = indexPart.indexOf(".p/");
        if (dotP >= 0) {
            String w = indexPart.substring(dotP + 3);
            if (!w.matches("[1-9][0-9]{0,2}") || Integer.parseInt(w) >= TILE_WIDTH) {
                return Optional.empty();
            }
            width = Integer.parseInt(w);
            indexPart = indexPart.substring(0, dotP);
        }
        long index = 0;
        String[] groups = indexPart.split("/", -1);
        if (groups.length > 7) {
            return Optional.empty();
        }
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            boolean last = i == groups.length - 1;
            if (!(last ? g.matches("[0-9]{3}") : g.matches("x[0-9]{3}"))) {
                return Optional.empty();
            }
            index = index * 1000 + Integer.parseInt(last ? g : g.substring(1));
        }
        if (!encodeIndex(index).equals(indexPart)) {
            return Optional.empty(); // leading zero groups: not canonical
        }
        if (levelPart.equals("entries")) {
            return Optional.of(entries(index, width));
        }
        if (!levelPart.matches("0|[1-9][0-9]?") || Integer.parseInt(levelPart) > 63) {
            return Optional.empty();
        }
        return Optional.of(hashes(Integer.parseInt(levelPart), index, width));
    }
}
