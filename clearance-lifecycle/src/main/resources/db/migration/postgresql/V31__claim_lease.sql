-- A claim on a due activation is a lease: a node that claims a row and dies before finishing it
-- leaves it 'claimed' until claimed_until passes; then any node re-claims it. ISO-8601 text as in
-- V30. NULL for rows claimed by the previous release, which re-claim at once once due (the
-- compare-and-set activation makes a second attempt harmless). Compatible with the previous
-- release, which neither reads nor writes the column.
ALTER TABLE lifecycle_schedule ADD COLUMN claimed_until TEXT;
