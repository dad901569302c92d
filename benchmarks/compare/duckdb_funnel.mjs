// DuckDB's side of benchmarks/compare/funnel.sh.
//   node duckdb_funnel.mjs load DB CSV           load the interchange CSV into DuckDB's own file
//   node duckdb_funnel.mjs funnel DB STEPS SECS  count the funnel, print {"steps": [n1, n2, ...]}
//
// The funnel is siyu's default semantics (docs/metrics.md) for steps that are plain event
// types: a customer is a person after identity_linked events; events are ordered by
// timestamp, ties by arrival (the CSV's row order); any first-step event may start a chain;
// from a start, taking the earliest later event of each next step is optimal, so each start
// follows one ASOF chain, and a step counts when its event lies within the window.
import { DuckDBInstance } from '@duckdb/node-api';

const [command, file, ...rest] = process.argv.slice(2);
const instance = await DuckDBInstance.create(file);
const db = await instance.connect();
await db.run('SET threads = 1');  // single thread, as the targets are stated
const quote = (text) => `'${text.replaceAll("'", "''")}'`;

if (command === 'load') {
  const [csv] = rest;
  await db.run(`CREATE TABLE raw AS SELECT * FROM read_csv(${quote(csv)}, header = true,
                all_varchar = true, quote = '"', escape = '"')`);
  // Arrival order is the row order; the first of duplicate ids wins, as in siyu.
  await db.run(`CREATE TABLE arrived AS
                SELECT * FROM (SELECT rowid AS seq, *,
                               row_number() OVER (PARTITION BY id ORDER BY rowid) AS copy
                               FROM raw) WHERE copy = 1 OR id IS NULL`);
  // Persons: keys joined by identity_linked events, named by their smallest key.
  await db.run(`CREATE TABLE edges AS
                SELECT customer AS a, ref AS b FROM arrived WHERE type = 'identity_linked'
                UNION SELECT ref, customer FROM arrived WHERE type = 'identity_linked'`);
  await db.run(`CREATE TABLE persons AS
                WITH RECURSIVE reach(k, p) AS (
                  SELECT a, a FROM edges
                  UNION SELECT reach.k, edges.b FROM reach JOIN edges ON reach.p = edges.a)
                SELECT k, min(p) AS person FROM reach GROUP BY k`);
  await db.run(`CREATE TABLE events AS
                SELECT coalesce(p.person, a.customer) AS person,
                       CAST(CAST(a.ts AS DECIMAL(38, 6)) * 1000000 AS BIGINT) AS ts,
                       a.seq, a.type
                FROM arrived a LEFT JOIN persons p ON p.k = a.customer
                ORDER BY person, ts, seq`);
  for (const table of ['raw', 'arrived', 'edges', 'persons']) await db.run(`DROP TABLE ${table}`);
  await db.run('CHECKPOINT');
} else if (command === 'funnel') {
  const [stepList, windowSeconds] = rest;
  const steps = stepList.split(',');
  const window = BigInt(windowSeconds) * 1000000n;
  const types = [...new Set(steps)].map(quote).join(', ');
  const parts = [
    `o AS (SELECT person, ts, type, row_number() OVER (ORDER BY person, ts, seq) AS pos
           FROM events WHERE type IN (${types}))`,
    `s1 AS (SELECT person, ts AS t1, pos AS p1 FROM o WHERE type = ${quote(steps[0])})`,
  ];
  steps.forEach((step, i) => {
    if (i === 0) return;
    const k = i + 1;
    parts.push(`x${k} AS (SELECT person, pos, ts FROM o WHERE type = ${quote(step)})`);
    // The earliest event of step k after the chain's step k-1, kept only within the window
    // (and only when step k-1 was reached: ASOF may match a NULL key).
    const previous = i === 1 ? 's1' : `s${i}`;
    const carried = Array.from({ length: i }, (_, j) => `c.p${j + 1}`).join(', ');
    parts.push(`s${k} AS (SELECT c.person, c.t1, ${carried},
                  CASE WHEN c.p${i} IS NOT NULL AND x.ts - c.t1 <= ${window} THEN x.pos END AS p${k}
                  FROM ${previous} c ASOF LEFT JOIN x${k} x
                  ON c.person = x.person AND c.p${i} < x.pos)`);
  });
  const last = `s${steps.length}`;
  const level = steps.map((_, j) => `(p${j + 1} IS NOT NULL)::INT`).join(' + ');
  const counts = steps.map((_, j) => `count(*) FILTER (WHERE level >= ${j + 1})`).join(', ');
  const sql = `WITH ${parts.join(',\n')},
               levels AS (SELECT person, max(${level}) AS level FROM ${last} GROUP BY person)
               SELECT ${counts} FROM levels`;
  const reader = await db.runAndReadAll(sql);
  const row = reader.getRows()[0].map((n) => Number(n));
  console.log(JSON.stringify({ steps: row }));
} else {
  console.error('usage: node duckdb_funnel.mjs load DB CSV | funnel DB STEPS WINDOW_SECONDS');
  process.exit(2);
}
