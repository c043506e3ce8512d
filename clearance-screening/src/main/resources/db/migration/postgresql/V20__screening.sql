-- clearance-screening owns V20-V29. Timestamps are ISO-8601 UTC text (Instant.toString()), as in
-- the SQLite schema, so the screening code binds them one way on both databases.

-- Every imported list version; one per source is active. An import that fails writes nothing.
CREATE TABLE screening_lists (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       TEXT    NOT NULL CHECK (source IN ('ofac-sdn', 'csl', 'bis-dpl')),
    origin       TEXT    NOT NULL,
    imported_at  TEXT    NOT NULL,
    imported_by  TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    party_count  INTEGER NOT NULL,
    active       INTEGER NOT NULL CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX screening_lists_one_active ON screening_lists (source) WHERE active = 1;

-- The parties of each version as JSON; entry_hash identifies an entry's content, so a review can
-- hold exactly as long as the listed entry it judged is unchanged.
CREATE TABLE screening_parties (
    list_version BIGINT  NOT NULL REFERENCES screening_lists (id),
    position     INTEGER NOT NULL,
    list         TEXT    NOT NULL,
    entity_id    TEXT    NOT NULL,
    entry_hash   TEXT    NOT NULL,
    document     TEXT    NOT NULL,
    PRIMARY KEY (list_version, position)
);

-- The current screening result of each principal (not part of the principal's own document).
CREATE TABLE screening_results (
    principal_id TEXT PRIMARY KEY,
    subject_hash TEXT             NOT NULL,
    lists_hash   TEXT             NOT NULL,
    status       TEXT             NOT NULL CHECK (status IN ('not_screened', 'clear', 'potential_match', 'confirmed_match')),
    lists        TEXT             NOT NULL,
    score        DOUBLE PRECISION NOT NULL,
    matches      TEXT             NOT NULL,
    screened_at  TEXT             NOT NULL
);

-- Reviewers' verdicts with reasons: append-only, the record an auditor reads.
CREATE TABLE screening_reviews (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    principal_id TEXT NOT NULL,
    list         TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    entry_hash   TEXT NOT NULL,
    subject_hash TEXT NOT NULL,
    verdict      TEXT NOT NULL CHECK (verdict IN ('false_positive', 'confirmed')),
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    reviewer     TEXT NOT NULL,
    reviewed_at  TEXT NOT NULL
);
CREATE INDEX screening_reviews_by_principal ON screening_reviews (principal_id);
CREATE FUNCTION screening_reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'screening reviews are append-only';
END;
$$;
CREATE TRIGGER screening_reviews_no_change BEFORE UPDATE OR DELETE ON screening_reviews
    FOR EACH ROW EXECUTE FUNCTION screening_reviews_append_only();

-- How far screening has followed the store's change feed.
CREATE TABLE screening_state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
