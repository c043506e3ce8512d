-- A fleet of gateway nodes on one database (docs/operations.md, "Running a fleet").
-- Compatible with the previous release: it only adds a nullable column and new tables, so nodes
-- of the previous release keep running against a database migrated by this one.

-- Every activation names the policy version it was derived from (compare-and-set). NULL for the
-- versions activated before this column existed, and for those a previous release activates during
-- a rolling upgrade. Unique: two activations derived from the same version cannot both exist, so
-- one of two concurrent changes can never silently undo the other.
ALTER TABLE policy_versions ADD COLUMN based_on BIGINT;
CREATE UNIQUE INDEX policy_versions_based_on ON policy_versions (based_on);

-- Each node's current state: the policy version it enforces and since when, and its heartbeat.
-- A node writes only its own row; the fleet view reads them all.
CREATE TABLE fleet_nodes (
    node           TEXT PRIMARY KEY,
    started_at     TIMESTAMPTZ NOT NULL,
    last_seen      TIMESTAMPTZ NOT NULL,
    policy_number  BIGINT,
    policy_version TEXT,
    applied_at     TIMESTAMPTZ,
    log_size       BIGINT,
    log_key        TEXT,
    log_directory  TEXT
);

-- Proof of application: every policy version each node put in force, when, and how many entries
-- its decision log held at that moment (its policy_applied entry is the next one). Append-only.
CREATE TABLE fleet_applications (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    node           TEXT        NOT NULL,
    policy_number  BIGINT      NOT NULL,
    policy_version TEXT        NOT NULL,
    applied_at     TIMESTAMPTZ NOT NULL,
    log_size       BIGINT      NOT NULL
);
CREATE INDEX fleet_applications_by_node ON fleet_applications (node, seq);

-- The signed checkpoints each node published from its own decision log, each with the consistency
-- proof from the node's previously published one, so anyone can check that no node rewrote its log
-- without reading it. Append-only.
CREATE TABLE fleet_checkpoints (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    node         TEXT        NOT NULL,
    size         BIGINT      NOT NULL,
    checkpoint   TEXT        NOT NULL,
    proof        TEXT        NOT NULL,
    published_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX fleet_checkpoints_by_node ON fleet_checkpoints (node, seq);

CREATE TRIGGER fleet_applications_are_append_only BEFORE UPDATE OR DELETE ON fleet_applications
    FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change();
CREATE TRIGGER fleet_applications_are_not_truncated BEFORE TRUNCATE ON fleet_applications
    FOR EACH STATEMENT EXECUTE FUNCTION clearance_refuse_change();
CREATE TRIGGER fleet_checkpoints_are_append_only BEFORE UPDATE OR DELETE ON fleet_checkpoints
    FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change();
CREATE TRIGGER fleet_checkpoints_are_not_truncated BEFORE TRUNCATE ON fleet_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION clearance_refuse_change();
