-- the entities the benchmark's writes update, one row each
CREATE TABLE workflows (id BIGINT PRIMARY KEY, tenant VARCHAR(64) NOT NULL, name VARCHAR(200) NOT NULL,
  version BIGINT NOT NULL);
INSERT INTO workflows SELECT g, 't1', 'w' || g, 0 FROM generate_series(1, 128) g;
