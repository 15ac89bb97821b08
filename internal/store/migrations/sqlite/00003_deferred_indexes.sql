-- A first scan writes millions of findings into an empty inventory. Its
-- secondary indexes (none of which the write itself uses: the upserts'
-- conflict keys are primary keys) are dropped while it writes and built
-- once at its end, sorted, instead of taking a random-order insert for every
-- row. While they are down their definitions wait here, so that a crash
-- loses nothing: the next scan builds whatever is listed before it begins.

-- +goose Up
CREATE TABLE deferred_indexes (
    name TEXT NOT NULL PRIMARY KEY,
    sql  TEXT NOT NULL
);

-- +goose Down
DROP TABLE deferred_indexes;
