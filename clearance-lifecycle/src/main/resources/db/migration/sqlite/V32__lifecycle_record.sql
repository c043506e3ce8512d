-- Lifecycle (V30-V39). What a serving process needs to put every lifecycle step on the decision log.

-- Steps of the schedule that are not a change of a directive version's status (those are in the
-- store's directive_events): scheduled for effective_from, cancelled, failed. Append-only.
CREATE TABLE lifecycle_events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    directive_id TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    step         TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    at           TEXT    NOT NULL
);
CREATE TRIGGER lifecycle_events_no_update BEFORE UPDATE ON lifecycle_events
BEGIN SELECT RAISE(ABORT, 'lifecycle events are append-only'); END;
CREATE TRIGGER lifecycle_events_no_delete BEFORE DELETE ON lifecycle_events
BEGIN SELECT RAISE(ABORT, 'lifecycle events are append-only'); END;

-- Positions the lifecycle keeps, so it resumes from any process: the last directive_events.seq and
-- lifecycle_events.seq handed on to a decision log (each step reaches the record once).
CREATE TABLE lifecycle_state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
