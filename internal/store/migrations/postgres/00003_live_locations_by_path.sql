-- The end of a scan counts the distinct findings live under its roots; with
-- the path in the finding index that is an index-only scan in finding order.

-- +goose Up
DROP INDEX IF EXISTS locations_finding;
CREATE INDEX locations_finding ON locations (finding_id, gone_scan, path);

-- +goose Down
DROP INDEX IF EXISTS locations_finding;
CREATE INDEX locations_finding ON locations (finding_id, gone_scan);
