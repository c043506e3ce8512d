package dev.clearance.console;

/**
 * What the layout needs of every page: its title, which section of the navigation it belongs to,
 * and who is looking (null on the sign-in page).
 */
record Page(String title, String section, Visitor visitor) {
    static Page signedOut(String title) {
        return new Page(title, "", null);
    }

    boolean signedIn() {
        return visitor != null;
    }

    String who() {
        return visitor == null ? "" : visitor.who();
    }

    String csrf() {
        return visitor == null ? "" : visitor.csrf();
    }

    /** {@code page} for the current section's link ({@code aria-current}); null (attribute left out) otherwise. */
    String current(String name) {
        return section.equals(name) ? "page" : null;
    }

    /** The headers htmx adds to every request it makes: the CSRF token. */
    String htmxHeaders() {
        return "{\"X-CSRF-Token\":\"" + csrf() + "\"}";
    }
}
