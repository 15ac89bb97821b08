-- Every inventory gets a random identity when it is created. A scan cache
-- is bound to it: results remembered while recording into one inventory are
-- never replayed into another (a new or deleted inventory.db, another
-- --db), which would keep the reused items' findings out of it.

-- +goose Up
CREATE TABLE meta (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (name, value) VALUES ('instance', lower(hex(randomblob(16))));

-- +goose Down
DROP TABLE meta;
