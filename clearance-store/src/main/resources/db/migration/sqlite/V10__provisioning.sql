-- Users and groups provisioned over SCIM 2.0 (docs/identity.md). V10-V19 of the store's range.
-- A user provisions one principal (its id is the userName). While the user is active the principal is
-- in `principals` too, where the gateway reads it; `principal` here keeps its facts either way, so a
-- deactivated user can be reactivated by the identity provider.
CREATE TABLE provisioned_users (
    id            TEXT    PRIMARY KEY,            -- the SCIM id, assigned here, never reused
    user_name     TEXT    NOT NULL,               -- the principal id
    user_name_key TEXT    NOT NULL UNIQUE,        -- lower case: userName is unique whatever its case
    external_id   TEXT,
    active        INTEGER NOT NULL CHECK (active IN (0, 1)),
    organization  TEXT    NOT NULL,               -- the principal's organization: the group it is a member of
    attributes    TEXT    NOT NULL,               -- the SCIM attributes that are not facts (name, emails, ...), JSON
    principal     TEXT    NOT NULL,               -- the principal's canonical JSON line
    version       INTEGER NOT NULL,               -- the change seq of its last write (meta.version)
    created_seq   INTEGER NOT NULL,               -- the change seq that created it: listing order
    created_at    TEXT    NOT NULL,
    created_by    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    updated_by    TEXT    NOT NULL
);
CREATE INDEX provisioned_users_by_external_id ON provisioned_users (external_id);
CREATE INDEX provisioned_users_by_organization ON provisioned_users (organization);

-- A group is an organization: its members are the users whose principal names it as organization.
CREATE TABLE provisioned_groups (
    id               TEXT    PRIMARY KEY,
    display_name     TEXT    NOT NULL,
    display_name_key TEXT    NOT NULL UNIQUE,
    external_id      TEXT,
    version          INTEGER NOT NULL,
    created_seq      INTEGER NOT NULL,
    created_at       TEXT    NOT NULL,
    created_by       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    updated_by       TEXT    NOT NULL
);
CREATE INDEX provisioned_groups_by_external_id ON provisioned_groups (external_id);

-- Who provisioned what, when and why: append-only, like the directive history.
CREATE TABLE provisioning_events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_type TEXT    NOT NULL CHECK (resource_type IN ('User', 'Group')),
    resource_id   TEXT    NOT NULL,
    name          TEXT    NOT NULL,               -- the userName or displayName at the time
    operation     TEXT    NOT NULL CHECK (operation IN ('create', 'replace', 'delete')),
    actor         TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    change_seq    INTEGER NOT NULL,
    at            TEXT    NOT NULL
);
CREATE INDEX provisioning_events_by_resource ON provisioning_events (resource_id, seq);

CREATE TRIGGER provisioning_events_are_append_only_u BEFORE UPDATE ON provisioning_events
BEGIN SELECT RAISE(ABORT, 'provisioning history is append-only'); END;
CREATE TRIGGER provisioning_events_are_append_only_d BEFORE DELETE ON provisioning_events
BEGIN SELECT RAISE(ABORT, 'provisioning history is append-only'); END;
