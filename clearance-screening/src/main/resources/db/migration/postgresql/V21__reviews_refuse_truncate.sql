-- The row trigger of V20 refuses UPDATE and DELETE on screening_reviews, but TRUNCATE fires no row
-- trigger: without this, one statement would empty the reviewers' record.
--
-- There is no SQLite twin of this migration: SQLite has no TRUNCATE, and its "DELETE FROM t"
-- without WHERE skips the row-by-row delete only on tables without triggers, so V20's DELETE
-- trigger already refuses it there.
CREATE TRIGGER screening_reviews_are_not_truncated BEFORE TRUNCATE ON screening_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION screening_reviews_append_only();
