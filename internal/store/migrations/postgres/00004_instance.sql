-- Every inventory gets a random identity when it is created; a scan cache
-- is bound to it (see the SQLite migration of the same name).

-- +goose Up
CREATE TABLE meta (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (name, value) VALUES ('instance', md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text));

-- +goose Down
DROP TABLE meta;
