-- What `clearance serve` loaded from its directive and principal files (docs/operations.md#files-at-start).
-- A start whose files hash as the last load of the same path changes nothing; changed files are checked
-- against what was changed in the store since that load before they are applied.
CREATE TABLE file_loads (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source        TEXT        NOT NULL CHECK (source IN ('directives', 'principals')),
    path          TEXT        NOT NULL,
    content_hash  TEXT        NOT NULL,
    -- directives: the policy version in force after the load
    policy_number BIGINT,
    -- the change feed position after the load (principals: the import's own change)
    change_seq    BIGINT      NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL,
    loaded_by     TEXT        NOT NULL
);
CREATE INDEX file_loads_by_path ON file_loads (source, path, seq);

-- The record of what was loaded is evidence too: append-only.
CREATE TRIGGER file_loads_are_append_only BEFORE UPDATE OR DELETE ON file_loads
    FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change();
-- Row triggers do not see TRUNCATE.
CREATE TRIGGER file_loads_are_not_truncated BEFORE TRUNCATE ON file_loads
    FOR EACH STATEMENT EXECUTE FUNCTION clearance_refuse_change();
