package dev.clearance.simulate;

/**
 * Receives a simulation's progress: each phase says its total work (bytes of traffic, principals), then
 * reports work done. Called from worker threads; implementations must be thread-safe and cheap.
 */
public interface Progress {
    /** A phase begins; {@code total} is in the phase's own unit, or -1 when unknown. */
    void phase(String name, String unit, long total);

    void advance(long done);

    /** Ignores progress. */
    Progress NONE = new Progress() {
        @Override
        public void phase(String name, String unit, long total) {}

        @Override
        public void advance(long done) {}
    };
}
