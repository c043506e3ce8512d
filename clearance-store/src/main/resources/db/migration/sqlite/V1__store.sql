-- clearance-store owns V1-V19. Screening: V20-V29. Lifecycle: V30-V39.
-- Timestamps are ISO-8601 UTC text (Instant.toString()).

-- Every write that other nodes must notice appends a row here; seq is the feed's cursor.
CREATE TABLE changes (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind    TEXT NOT NULL,
    subject TEXT NOT NULL,
    at      TEXT NOT NULL
);

-- A principal is stored as its canonical JSON; version is the change seq of its last write.
CREATE TABLE principals (
    id         TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    document   TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX principals_by_version ON principals (version);

-- Only a SHA-256 of the key is kept; the key itself is shown once.
CREATE TABLE api_keys (
    prefix       TEXT PRIMARY KEY,
    key_hash     TEXT NOT NULL UNIQUE,
    principal_id TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    revoked_at   TEXT,
    revoked_by   TEXT
);
CREATE INDEX api_keys_by_principal ON api_keys (principal_id);

-- Every version of every directive; the text is never overwritten (see the triggers below).
CREATE TABLE directive_versions (
    directive_id TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    source_file  TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    text_hash    TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('draft', 'approved', 'active', 'withdrawn')),
    author       TEXT    NOT NULL,
    approver     TEXT,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (directive_id, version)
);

-- Who moved which version to which status, when and why: append-only.
CREATE TABLE directive_events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    directive_id TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    from_status  TEXT,
    to_status    TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    at           TEXT    NOT NULL,
    FOREIGN KEY (directive_id, version) REFERENCES directive_versions (directive_id, version)
);
CREATE INDEX directive_events_by_directive ON directive_events (directive_id, version);

-- Each activated policy: the directive versions it is made of. The active policy is the highest number.
CREATE TABLE policy_versions (
    number       INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL,
    activated_at TEXT NOT NULL,
    activated_by TEXT NOT NULL,
    reason       TEXT NOT NULL
);

CREATE TABLE policy_members (
    policy_number     INTEGER NOT NULL REFERENCES policy_versions (number),
    directive_id      TEXT    NOT NULL,
    directive_version INTEGER NOT NULL,
    PRIMARY KEY (policy_number, directive_id),
    FOREIGN KEY (directive_id, directive_version) REFERENCES directive_versions (directive_id, version)
);

-- The record is the evidence: history rows are never changed or removed.
CREATE TRIGGER directive_text_is_immutable BEFORE UPDATE OF directive_id, version, source_file, text, text_hash, author, created_at ON directive_versions
BEGIN SELECT RAISE(ABORT, 'directive versions are never overwritten'); END;
CREATE TRIGGER directive_versions_are_kept BEFORE DELETE ON directive_versions
BEGIN SELECT RAISE(ABORT, 'directive versions are never deleted'); END;
CREATE TRIGGER directive_events_are_append_only_u BEFORE UPDATE ON directive_events
BEGIN SELECT RAISE(ABORT, 'directive history is append-only'); END;
CREATE TRIGGER directive_events_are_append_only_d BEFORE DELETE ON directive_events
BEGIN SELECT RAISE(ABORT, 'directive history is append-only'); END;
CREATE TRIGGER policy_versions_are_append_only_u BEFORE UPDATE ON policy_versions
BEGIN SELECT RAISE(ABORT, 'policy history is append-only'); END;
CREATE TRIGGER policy_versions_are_append_only_d BEFORE DELETE ON policy_versions
BEGIN SELECT RAISE(ABORT, 'policy history is append-only'); END;
CREATE TRIGGER policy_members_are_append_only_u BEFORE UPDATE ON policy_members
BEGIN SELECT RAISE(ABORT, 'policy history is append-only'); END;
CREATE TRIGGER policy_members_are_append_only_d BEFORE DELETE ON policy_members
BEGIN SELECT RAISE(ABORT, 'policy history is append-only'); END;
