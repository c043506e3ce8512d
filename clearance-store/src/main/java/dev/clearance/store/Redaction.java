package dev.clearance.store;

import java.util.regex.Pattern;

/** Keeps secrets in JDBC URLs out of messages and logs. */
final class Redaction {
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    private Redaction() {}

    static String redactUrl(String url) {
        String s = PASSWORD.matcher(url).replaceAll("$1***");
        return USERINFO.matcher(s).replaceAll("$1***@");
    }
}
