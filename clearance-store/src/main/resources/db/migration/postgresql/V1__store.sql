-- clearance-store owns V1-V19. Screening: V20-V29. Lifecycle: V30-V39.

-- Every write that other nodes must notice appends a row here; seq is the feed's cursor.
-- Writers hold a transaction-scoped advisory lock, so seq order is commit order.
CREATE TABLE changes (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind    TEXT        NOT NULL,
    subject TEXT        NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);

-- A principal is stored as its canonical JSON; version is the change seq of its last write.
CREATE TABLE principals (
    id         TEXT PRIMARY KEY,
    version    BIGINT      NOT NULL,
    document   TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT        NOT NULL
);
CREATE INDEX principals_by_version ON principals (version);

-- Only a SHA-256 of the key is kept; the key itself is shown once.
CREATE TABLE api_keys (
    prefix       TEXT PRIMARY KEY,
    key_hash     TEXT        NOT NULL UNIQUE,
    principal_id TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT        NOT NULL,
    revoked_at   TIMESTAMPTZ,
    revoked_by   TEXT
);
CREATE INDEX api_keys_by_principal ON api_keys (principal_id);

-- Every version of every directive; the text is never overwritten (see the triggers below).
CREATE TABLE directive_versions (
    directive_id TEXT        NOT NULL,
    version      INTEGER     NOT NULL,
    source_file  TEXT        NOT NULL,
    text         TEXT        NOT NULL,
    text_hash    TEXT        NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('draft', 'approved', 'active', 'withdrawn')),
    author       TEXT        NOT NULL,
    approver     TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (directive_id, version)
);

-- Who moved which version to which status, when and why: append-only.
CREATE TABLE directive_events (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    directive_id TEXT        NOT NULL,
    version      INTEGER     NOT NULL,
    from_status  TEXT,
    to_status    TEXT        NOT NULL,
    actor        TEXT        NOT NULL,
    reason       TEXT        NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (directive_id, version) REFERENCES directive_versions (directive_id, version)
);
CREATE INDEX directive_events_by_directive ON directive_events (directive_id, version);

-- Each activated policy: the directive versions it is made of. The active policy is the highest number.
CREATE TABLE policy_versions (
    number       BIGINT PRIMARY KEY,
    content_hash TEXT        NOT NULL,
    activated_at TIMESTAMPTZ NOT NULL,
    activated_by TEXT        NOT NULL,
    reason       TEXT        NOT NULL
);

CREATE TABLE policy_members (
    policy_number     BIGINT  NOT NULL REFERENCES policy_versions (number),
    directive_id      TEXT    NOT NULL,
    directive_version INTEGER NOT NULL,
    PRIMARY KEY (policy_number, directive_id),
    FOREIGN KEY (directive_id, directive_version) REFERENCES directive_versions (directive_id, version)
);

-- The record is the evidence: history rows are never changed or removed.
CREATE FUNCTION clearance_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$;

CREATE FUNCTION clearance_keep_directive_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.directive_id IS DISTINCT FROM OLD.directive_id OR NEW.version IS DISTINCT FROM OLD.version
       OR NEW.source_file IS DISTINCT FROM OLD.source_file OR NEW.text IS DISTINCT FROM OLD.text
       OR NEW.text_hash IS DISTINCT FROM OLD.text_hash OR NEW.author IS DISTINCT FROM OLD.author
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'directive versions are never overwritten';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER directive_text_is_immutable BEFORE UPDATE ON directive_versions
    FOR EACH ROW EXECUTE FUNCTION clearance_keep_directive_text();
CREATE TRIGGER directive_versions_are_kept BEFORE DELETE ON directive_versions
    FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change();
CREATE TRIGGER directive_events_are_append_only BEFORE UPDATE OR DELETE ON directive_events
    FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change();
CREATE TRIGGER policy_versions_are_append_only BEFORE UPDATE OR DELETE ON policy_versions
    FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change();
CREATE TRIGGER policy_members_are_append_only BEFORE UPDATE OR DELETE ON policy_members
    FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change();
