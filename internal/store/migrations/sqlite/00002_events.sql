-- Events of the inline channels (serve): each block, alert or redaction,
-- with who and where, and its findings masked as everywhere (JSON text).

-- +goose Up
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    channel     TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    client      TEXT    NOT NULL DEFAULT '',
    user_name   TEXT    NOT NULL DEFAULT '',
    destination TEXT    NOT NULL DEFAULT '',
    findings    TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX events_at ON events (at);

-- +goose Down
DROP TABLE events;
