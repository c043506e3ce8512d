-- Lifecycle (V30-V39). Timestamps are ISO-8601 UTC text (Instant.toString()), as in the store.

-- Approved directive versions waiting for their effective_from; the scheduler claims a due row
-- (pending -> claimed) before activating it, so with several nodes exactly one activates it.
CREATE TABLE lifecycle_schedule (
    directive_id  TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    due_at        TEXT    NOT NULL,
    requested_by  TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'claimed', 'activated', 'cancelled', 'failed')),
    claimed_by    TEXT,
    done_at       TEXT,
    policy_number INTEGER,
    note          TEXT,
    PRIMARY KEY (directive_id, version)
);
CREATE INDEX lifecycle_schedule_due ON lifecycle_schedule (state, due_at);

-- Shadow evidence: how many live requests each shadow-mode directive would have denied, per hour
-- and policy version (counted in the gateway, flushed here).
CREATE TABLE lifecycle_shadow_hits (
    directive_id   TEXT    NOT NULL,
    policy_version TEXT    NOT NULL,
    hour           TEXT    NOT NULL,
    hits           INTEGER NOT NULL,
    PRIMARY KEY (directive_id, policy_version, hour)
);
