-- The row triggers of V1 refuse UPDATE and DELETE on the history tables, but TRUNCATE fires no row
-- trigger: without these, one statement would empty the record. clearance_refuse_change() (V1)
-- raises '<table> is append-only (TRUNCATE refused)'. TRUNCATE ... CASCADE fires the trigger of
-- every table it would empty, so it is refused too.
--
-- There is no SQLite twin of this migration: SQLite has no TRUNCATE, and its "DELETE FROM t"
-- without WHERE skips the row-by-row delete only on tables without triggers, so V1's DELETE
-- triggers already refuse it there.
CREATE TRIGGER directive_versions_are_not_truncated BEFORE TRUNCATE ON directive_versions
    FOR EACH STATEMENT EXECUTE FUNCTION clearance_refuse_change();
CREATE TRIGGER directive_events_are_not_truncated BEFORE TRUNCATE ON directive_events
    FOR EACH STATEMENT EXECUTE FUNCTION clearance_refuse_change();
CREATE TRIGGER policy_versions_are_not_truncated BEFORE TRUNCATE ON policy_versions
    FOR EACH STATEMENT EXECUTE FUNCTION clearance_refuse_change();
CREATE TRIGGER policy_members_are_not_truncated BEFORE TRUNCATE ON policy_members
    FOR EACH STATEMENT EXECUTE FUNCTION clearance_refuse_change();
