package dev.clearance.screening;

/**
 * A consonant skeleton of a token: the phonetic key that survives transliteration.
 *
 * <p>Scripts such as Arabic write no short vowels, and romanisations disagree on vowels and on
 * letters for the same sound ({@code Mohammed}, {@code Muhammad}, {@code mhmd}; {@code Yevgeniy},
 * {@code Evgeni}). The skeleton drops vowels and semivowels, merges letters romanisations swap
 * ({@code c/k/q}, {@code z/s}, {@code v/f}, {@code ph/f}, {@code x/ks}) and collapses doubled letters.
 */
final class Skeleton {
    private Skeleton() {}

    static String of(String token) {
        StringBuilder out = new StringBuilder(token.length());
        char last = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            char k = switch (c) {
                case 'a', 'e', 'i', 'o', 'u', 'y', 'w' -> 0;
                case 'c', 'q' -> 'k';
                case 'z' -> 's';
                case 'v' -> 'f';
                case 'p' -> i + 1 < token.length() && token.charAt(i + 1) == 'h' ? 'f' : 'p';
                case 'h' -> i > 0 && (token.charAt(i - 1) == 'p') ? 0 : 'h';
                default -> c;
            };
            if (c == 'x') {
                // x and ks are one sound: Alexander = Aleksandr
                if (last != 'k') out.append('k');
                out.append('s');
                last = 's';
                continue;
            }
            if (k == 0) {
                continue;
            }
            if (k != last) out.append(k);
            last = k;
        }
        return out.toString();
    }
}
