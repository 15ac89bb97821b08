-- The inventory schema for SQLite. Times are Unix microseconds (modification
-- times of items Unix nanoseconds, to compare them exactly); JSON is stored
-- as text. Findings and locations are ordinary rowid tables: their keys (a
-- hash id, a finding id) arrive in random order, and keeping the wide rows in
-- insertion order leaves the randomness to narrow indexes, which is what
-- keeps a million-finding scan writing pages it already has in cache.

-- +goose Up
CREATE TABLE scans (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    started  INTEGER NOT NULL,
    finished INTEGER,
    state    TEXT    NOT NULL CHECK (state IN ('running', 'finished', 'incomplete')),
    roots    TEXT    NOT NULL,
    options  TEXT    NOT NULL DEFAULT '{}',
    version  TEXT    NOT NULL DEFAULT '',
    digest   TEXT    NOT NULL DEFAULT '',
    stats    TEXT    NOT NULL DEFAULT '{}',
    seen     INTEGER NOT NULL DEFAULT 0,
    new      INTEGER NOT NULL DEFAULT 0,
    resolved INTEGER NOT NULL DEFAULT 0,
    reopened INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE findings (
    id          TEXT    NOT NULL PRIMARY KEY,
    rule        TEXT    NOT NULL,
    name        TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL,
    entity      TEXT    NOT NULL DEFAULT '',
    confidence  INTEGER NOT NULL,
    severity    TEXT    NOT NULL,
    masked      TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'acknowledged', 'false-positive', 'accepted-risk', 'resolved')),
    status_at   INTEGER NOT NULL,
    first_scan  INTEGER NOT NULL,
    last_scan   INTEGER NOT NULL,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL
);
-- Keyset pages are ordered by id; each filter that can be selective gets an
-- index ending in id so that a filtered page is a range scan.
CREATE INDEX findings_status ON findings (status, id);
CREATE INDEX findings_rule ON findings (rule, id);
CREATE INDEX findings_first_scan ON findings (first_scan, id);

-- One row per place a finding was seen. The key leads with the path so that
-- "under this root" and "under this prefix" are range scans.
CREATE TABLE locations (
    path       TEXT    NOT NULL,
    container  TEXT    NOT NULL DEFAULT '',
    off        INTEGER NOT NULL,
    finding_id TEXT    NOT NULL,
    end_off    INTEGER NOT NULL,
    line       INTEGER NOT NULL DEFAULT 0,
    col        INTEGER NOT NULL DEFAULT 0,
    end_line   INTEGER NOT NULL DEFAULT 0,
    end_col    INTEGER NOT NULL DEFAULT 0,
    -- For a registered-data finding, which record or document matched here
    -- and how much (finding.Match as JSON: set, row, columns, coverage);
    -- never a registered value.
    match      TEXT    NOT NULL DEFAULT '',
    first_scan INTEGER NOT NULL,
    last_scan  INTEGER NOT NULL,
    gone_scan  INTEGER,
    PRIMARY KEY (path, container, off, finding_id)
);
CREATE INDEX locations_finding ON locations (finding_id, gone_scan);
-- Few locations are gone at any time: a partial index finds them.
CREATE INDEX locations_gone ON locations (gone_scan) WHERE gone_scan IS NOT NULL;

CREATE TABLE items (
    path       TEXT    NOT NULL,
    container  TEXT    NOT NULL DEFAULT '',
    root       TEXT    NOT NULL DEFAULT '',
    size       INTEGER NOT NULL,
    mtime_ns   INTEGER NOT NULL,
    ident      TEXT    NOT NULL DEFAULT '',
    hash       TEXT    NOT NULL DEFAULT '',
    errors     INTEGER NOT NULL DEFAULT 0,
    -- 1 when last_scan did not read the item but reused what it held
    -- before: its live locations count as seen by that scan.
    reused     INTEGER NOT NULL DEFAULT 0,
    first_scan INTEGER NOT NULL,
    last_scan  INTEGER NOT NULL,
    PRIMARY KEY (path, container)
) WITHOUT ROWID;

CREATE TABLE history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id  TEXT    NOT NULL REFERENCES findings (id),
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    from_status TEXT    NOT NULL,
    to_status   TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    scan_id     INTEGER REFERENCES scans (id)
);
CREATE INDEX history_finding ON history (finding_id, id);

CREATE TABLE scan_errors (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    scan_id   INTEGER NOT NULL REFERENCES scans (id),
    path      TEXT    NOT NULL,
    container TEXT    NOT NULL DEFAULT '',
    reason    TEXT    NOT NULL,
    message   TEXT    NOT NULL
);
CREATE INDEX scan_errors_scan ON scan_errors (scan_id, id);

-- +goose Down
DROP TABLE scan_errors;
DROP TABLE history;
DROP TABLE items;
DROP TABLE locations;
DROP TABLE findings;
DROP TABLE scans;
