-- A fleet of gateway nodes on one database (docs/operations.md, "Running a fleet"); on SQLite a
-- fleet of one. Compatible with the previous release: only a nullable column and new tables.

-- Every activation names the policy version it was derived from (compare-and-set); NULL for
-- versions activated before. Unique: two activations derived from the same version cannot both exist.
ALTER TABLE policy_versions ADD COLUMN based_on INTEGER;
CREATE UNIQUE INDEX policy_versions_based_on ON policy_versions (based_on);

-- Each node's current state: the policy version it enforces and since when, and its heartbeat.
CREATE TABLE fleet_nodes (
    node           TEXT PRIMARY KEY,
    started_at     TEXT NOT NULL,
    last_seen      TEXT NOT NULL,
    policy_number  INTEGER,
    policy_version TEXT,
    applied_at     TEXT,
    log_size       INTEGER,
    log_key        TEXT,
    log_directory  TEXT
);

-- Proof of application: every policy version each node put in force. Append-only.
CREATE TABLE fleet_applications (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    node           TEXT    NOT NULL,
    policy_number  INTEGER NOT NULL,
    policy_version TEXT    NOT NULL,
    applied_at     TEXT    NOT NULL,
    log_size       INTEGER NOT NULL
);
CREATE INDEX fleet_applications_by_node ON fleet_applications (node, seq);

-- Each node's published signed checkpoints with consistency proofs from the previous one. Append-only.
CREATE TABLE fleet_checkpoints (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    node         TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    checkpoint   TEXT    NOT NULL,
    proof        TEXT    NOT NULL,
    published_at TEXT    NOT NULL
);
CREATE INDEX fleet_checkpoints_by_node ON fleet_checkpoints (node, seq);

CREATE TRIGGER fleet_applications_are_append_only_u BEFORE UPDATE ON fleet_applications
BEGIN SELECT RAISE(ABORT, 'fleet_applications is append-only'); END;
CREATE TRIGGER fleet_applications_are_append_only_d BEFORE DELETE ON fleet_applications
BEGIN SELECT RAISE(ABORT, 'fleet_applications is append-only'); END;
CREATE TRIGGER fleet_checkpoints_are_append_only_u BEFORE UPDATE ON fleet_checkpoints
BEGIN SELECT RAISE(ABORT, 'fleet_checkpoints is append-only'); END;
CREATE TRIGGER fleet_checkpoints_are_append_only_d BEFORE DELETE ON fleet_checkpoints
BEGIN SELECT RAISE(ABORT, 'fleet_checkpoints is append-only'); END;
