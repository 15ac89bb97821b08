-- The end of a scan counts the distinct findings live under its roots. With
-- the path in the finding index that count reads one index in finding
-- order (distinct for free) instead of fetching two million location rows
-- at random: 0.5 s instead of 5-14 s on a rescan with 2 M locations.
-- A first scan that crashed with this index deferred gets it back here, in
-- its new form, rather than from its old definition.

-- +goose Up
DELETE FROM deferred_indexes WHERE name = 'locations_finding';
DROP INDEX IF EXISTS locations_finding;
CREATE INDEX locations_finding ON locations (finding_id, gone_scan, path);

-- +goose Down
DELETE FROM deferred_indexes WHERE name = 'locations_finding';
DROP INDEX IF EXISTS locations_finding;
CREATE INDEX locations_finding ON locations (finding_id, gone_scan);
