// The peer engines' side of benchmarks/compare/compare.sh: DuckDB (@duckdb/node-api),
// SQLite (the sqlite3 command) and ClickHouse (chdb) answer the funnel, the cohort table and
// the RFM scores that siyu answers, on the same interchange CSV, each from its own database.
//
//   node peers.mjs ENGINE load DB CSV
//   node peers.mjs ENGINE funnel DB STEPS WINDOW_SECONDS
//   node peers.mjs ENGINE retention DB ZONE_SECONDS PERIODS
//   node peers.mjs ENGINE rfm DB ZONE_SECONDS
//   node peers.mjs clickhouse window-funnel DB STEPS WINDOW_SECONDS
//   node peers.mjs siyu METRIC OUTPUT_JSON [ARGS]      siyu's CLI output, canonical
//
// ENGINE is duckdb, sqlite or clickhouse. A metric prints {"result": ..., "query_seconds": t}
// where the result has one canonical shape per metric, whoever computed it, so the script
// compares results as strings. Each engine runs single-threaded, as the targets are stated.
//
// The semantics are siyu's (docs/metrics.md), restricted to what the script asks: funnel
// steps that are plain event types; weekly cohorts of the first friend_added, returns of any
// event; RFM with the clock at the latest event. Timestamps in the CSV are epoch seconds, as
// siyu writes them. Persons are keys joined by identity_linked events; events are ordered by
// timestamp, ties by arrival (the CSV's row order), and the first of duplicate ids wins.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [engineName, command, file, ...rest] = process.argv.slice(2);
const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const NEVER = 9000000000000000000n;  // a position no event has: the chain stopped

// ---- engines: run a statement, or fetch rows as arrays --------------------------------------

async function duckdb() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await (await DuckDBInstance.create(file)).connect();
  await db.run('SET threads = 1');
  return {
    run: (sql) => db.run(sql),
    rows: async (sql) => (await db.runAndReadAll(sql)).getRows(),
    div: '//', union: 'UNION DISTINCT', pos: 'pos', materialized: 'MATERIALIZED',
    fromCsv: (csv) => `read_csv(${quote(csv)}, header = true, all_varchar = true,
                                quote = '"', escape = '"')`,
    scaled: (column, digits) => `CAST(CAST(${column} AS DECIMAL(38, ${digits})) * ${10 ** digits} AS BIGINT)`,
    asofChain: true,
  };
}

function sqlite() {
  const sqlite3 = (input, args = []) => execFileSync('sqlite3', [...args, file], {
    input, maxBuffer: 1 << 30, encoding: 'utf8' });
  // Exact decimal text to a scaled integer, without going through a double.
  const scaled = (column, digits) => `CASE WHEN instr(${column}, '.') = 0
      THEN CAST(${column} AS INTEGER) * ${10 ** digits}
      ELSE CAST(substr(${column}, 1, instr(${column}, '.') - 1) AS INTEGER) * ${10 ** digits}
         + CAST(substr(substr(${column}, instr(${column}, '.') + 1) || '000000', 1, ${digits})
                AS INTEGER) END`;
  return {
    run: async (sql) => { sqlite3(`${sql};`); },
    rows: async (sql) => {
      const text = sqlite3(`${sql};`, ['-json']);
      return text.trim() === '' ? [] : JSON.parse(text).map((row) => Object.values(row));
    },
    div: '/', union: 'UNION', pos: 'rowid', materialized: 'MATERIALIZED',
    importCsv: (csv) => sqlite3(`.mode csv\n.import ${csv} raw\n`),
    scaled,
    asofChain: false,
  };
}

async function clickhouse() {
  const { Session } = await import('chdb');
  const session = new Session(file);
  const settings = `SETTINGS max_threads = 1, join_use_nulls = 1,
                    input_format_parallel_parsing = 0`;
  return {
    run: async (sql) => { session.query(`${sql} ${settings}`); },
    rows: async (sql) => JSON.parse(session.query(`${sql} ${settings}`, 'JSONCompact')).data,
    div: 'DIV', union: 'UNION DISTINCT', pos: 'pos', materialized: '',
    fromCsv: (csv) => `file(${quote(csv)}, CSVWithNames, 'id String, ts String, customer String,
        type String, staff String, channel String, product String, amount String, ref String,
        duration String, text String')`,
    scaled: (column, digits) => `toInt64(CAST(${column} AS Decimal(38, ${digits})) * ${10 ** digits})`,
    asofChain: true,
    session,
  };
}

// ---- load: the interchange CSV into events(person, ts, seq, pos, type, amount) -------------

async function load(db, csv) {
  if (engineName === 'sqlite') {
    db.importCsv(csv);
    await db.run(`CREATE TABLE arrived AS SELECT * FROM (
                    SELECT rowid AS seq, *, row_number() OVER (PARTITION BY id ORDER BY rowid) AS copy
                    FROM raw) WHERE copy = 1 OR id = ''`);
  } else if (engineName === 'clickhouse') {
    // One reading thread, so the row numbers are the file's order.
    await db.run(`CREATE TABLE arrived ENGINE = MergeTree ORDER BY seq AS
                  SELECT rowNumberInAllBlocks() AS seq, * FROM ${db.fromCsv(csv)}`);
    await db.run(`DELETE FROM arrived WHERE id != '' AND seq NOT IN
                  (SELECT min(seq) FROM arrived WHERE id != '' GROUP BY id)`);
  } else {
    await db.run(`CREATE TABLE raw AS SELECT * FROM ${db.fromCsv(csv)}`);
    await db.run(`CREATE TABLE arrived AS SELECT * FROM (
                    SELECT rowid AS seq, *, row_number() OVER (PARTITION BY id ORDER BY rowid) AS copy
                    FROM raw) WHERE copy = 1 OR id IS NULL`);
  }
  // Persons: keys joined by identity_linked events, named by their smallest key, found by
  // passing the smallest label along the links until nothing changes (ClickHouse has no
  // recursive UNION DISTINCT, so every engine does it this way).
  const memory = engineName === 'clickhouse' ? 'ENGINE = Memory' : '';
  await db.run(`CREATE TABLE edges ${memory} AS
                SELECT customer AS a, ref AS b FROM arrived WHERE type = 'identity_linked'
                ${db.union} SELECT ref, customer FROM arrived WHERE type = 'identity_linked'`);
  await db.run(`CREATE TABLE persons ${memory} AS SELECT DISTINCT a AS k, a AS person FROM edges`);
  for (;;) {
    await db.run(`CREATE TABLE next ${memory} AS SELECT k, min(person) AS person FROM (
                    SELECT k, person FROM persons
                    UNION ALL SELECT e.a AS k, p.person AS person
                    FROM edges e JOIN persons p ON p.k = e.b) l GROUP BY k`);
    const [[changed]] = await db.rows(`SELECT count(*) FROM next n JOIN persons p ON p.k = n.k
                                       WHERE n.person <> p.person`);
    await db.run('DROP TABLE persons');
    await db.run(`CREATE TABLE persons ${memory} AS SELECT * FROM next`);
    await db.run('DROP TABLE next');
    if (Number(changed) === 0) break;
  }
  const ordered = `SELECT coalesce(p.person, a.customer) AS person, ${db.scaled('a.ts', 6)} AS ts,
                   a.seq AS seq, a.type AS type,
                   CASE WHEN a.amount = '' OR a.amount IS NULL THEN NULL
                        ELSE ${db.scaled('a.amount', 2)} END AS amount
                   FROM arrived a LEFT JOIN persons p ON p.k = a.customer`;
  if (engineName === 'sqlite') {
    // The rowid is the position in (person, ts, arrival) order; the indexes serve the
    // funnel's chains and the per-person joins.
    await db.run(`CREATE TABLE events AS ${ordered} ORDER BY person, ts, seq`);
    await db.run('CREATE INDEX events_steps ON events (type, person, ts)');
    await db.run('CREATE INDEX events_person ON events (person)');
  } else if (engineName === 'clickhouse') {
    await db.run(`CREATE TABLE events ENGINE = MergeTree ORDER BY pos AS
                  SELECT *, row_number() OVER (ORDER BY person, ts, seq) AS pos FROM (${ordered})`);
  } else {
    await db.run(`CREATE TABLE events AS SELECT *, row_number() OVER (ORDER BY person, ts, seq) AS pos
                  FROM (${ordered}) ORDER BY pos`);
  }
  for (const table of ['raw', 'arrived', 'edges', 'persons']) await db.run(`DROP TABLE IF EXISTS ${table}`);
  if (engineName === 'duckdb') await db.run('CHECKPOINT');
  if (engineName === 'sqlite') await db.run('VACUUM');
}

// ---- funnel: customers reaching each step ---------------------------------------------------

// From any step-1 event, taking the earliest later event of each next step is optimal, so
// each start follows one chain, and a step counts while its event lies within the window.
function funnelSql(db, steps, window) {
  const reached = steps.map((_, j) => `CASE WHEN p${j + 1} < ${NEVER} THEN 1 ELSE 0 END`).join(' + ');
  const counts = steps.map((_, j) => `sum(CASE WHEN level >= ${j + 1} THEN 1 ELSE 0 END)`).join(', ');
  const parts = [`s1 AS (SELECT person, ts AS t1, ${db.pos} AS p1 FROM events WHERE type = ${quote(steps[0])})`];
  steps.slice(1).forEach((step, i) => {
    const k = i + 2;
    const carried = Array.from({ length: k - 1 }, (_, j) => `c.p${j + 1}`).join(', ');
    if (db.asofChain) {
      parts.push(`x${k} AS (SELECT person, pos, ts FROM events WHERE type = ${quote(step)})`);
      parts.push(`s${k} AS (SELECT c.person AS person, c.t1 AS t1, ${carried},
                    CASE WHEN x.pos IS NOT NULL AND x.ts - c.t1 <= ${window} THEN x.pos
                         ELSE ${NEVER} END AS p${k}
                    FROM s${k - 1} c ASOF LEFT JOIN x${k} x
                    ON c.person = x.person AND c.p${k - 1} < x.pos)`);
    } else {
      // ts is non-decreasing along pos within a person, so the first event past the
      // window ends the chain as surely as the earliest one.
      parts.push(`s${k} AS (SELECT c.person AS person, c.t1 AS t1, ${carried}, coalesce(
                    (SELECT e.${db.pos} FROM events e WHERE e.type = ${quote(step)}
                     AND e.person = c.person AND e.ts <= c.t1 + ${window} AND e.${db.pos} > c.p${k - 1}
                     ORDER BY e.ts, e.${db.pos} LIMIT 1), ${NEVER}) AS p${k}
                    FROM s${k - 1} c)`);
    }
  });
  return `WITH ${parts.join(',\n')},
          levels AS (SELECT person, max(${reached}) AS level FROM s${steps.length} GROUP BY person)
          SELECT ${counts} FROM levels`;
}

async function funnel(db, stepList, windowSeconds) {
  const steps = stepList.split(',');
  const window = BigInt(windowSeconds) * 1000000n;
  const [row] = await db.rows(funnelSql(db, steps, window));
  return { steps: row.map(Number) };
}

// ClickHouse's own windowFunnel, for its speed: it lets one event fill two steps
// ("order_paid, order_paid" counts one order), so its counts are printed, not compared.
async function windowFunnel(db, stepList, windowSeconds) {
  const steps = stepList.split(',');
  const conditions = steps.map((step) => `type = ${quote(step)}`).join(', ');
  const counts = steps.map((_, j) => `countIf(level >= ${j + 1})`).join(', ');
  const [row] = await db.rows(`SELECT ${counts} FROM (
      SELECT person, windowFunnel(${BigInt(windowSeconds) * 1000000n})(toUInt64(ts), ${conditions}) AS level
      FROM events GROUP BY person) WHERE level > 0`);
  return { steps: row.map(Number) };
}

// ---- retention: weekly cohorts of the first friend_added, returns of any event --------------

function dayOf(db, zoneSeconds) {
  return `((ts ${db.div} 1000000 + ${zoneSeconds}) ${db.div} 86400)`;
}

// Monday-first week number counted from the epoch's week (1970-01-01 was a Thursday).
const weekStart = (week) => new Date((Number(week) * 7 - 3) * 86400000).toISOString().slice(0, 10);

async function retention(db, zoneSeconds, periods) {
  const week = `((${dayOf(db, zoneSeconds)} + 3) ${db.div} 7)`;
  const cohorts = `cohorts AS ${db.materialized} (
      SELECT person, min(${week}) AS cohort FROM events WHERE type = 'friend_added' GROUP BY person)`;
  const sizes = await db.rows(`WITH ${cohorts} SELECT cohort, count(*) FROM cohorts GROUP BY cohort`);
  const k = `${week.replaceAll('ts', 'e.ts')} - c.cohort`;
  const cells = await db.rows(`WITH ${cohorts},
      returns AS (SELECT DISTINCT e.person AS person, c.cohort AS cohort, ${k} AS k
                  FROM events e JOIN cohorts c ON e.person = c.person
                  WHERE ${k} BETWEEN 1 AND ${periods})
      SELECT cohort, k, count(*) FROM returns GROUP BY cohort, k`);
  const table = new Map(sizes.map(([cohort, size]) => [Number(cohort),
    [weekStart(cohort), Number(size), ...Array(Number(periods)).fill(0)]]));
  for (const [cohort, k, n] of cells) table.get(Number(cohort))[1 + Number(k)] = Number(n);
  return { cohorts: [...table.keys()].sort((a, b) => a - b).map((c) => table.get(c)) };
}

// ---- RFM: every buyer's scores with the clock at the latest event ---------------------------

// The canonical RFM result: counts, cells, the top fifth's revenue and a digest of every
// buyer's figures and scores (persons may be named by different keys, so names are left out).
function rfmResult(buyers) {
  const cells = Array(125).fill(0);
  let revenue = 0n;
  const lines = buyers.map(({ recency, orders, money, r, f, m }) => {
    cells[(r - 1) * 25 + (f - 1) * 5 + (m - 1)] += 1;
    revenue += BigInt(money);
    return `${recency} ${orders} ${money} ${r} ${f} ${m}`;
  }).sort();
  const top = buyers.map((b) => BigInt(b.money)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
    .slice(0, Math.ceil(buyers.length / 5)).reduce((a, b) => a + b, 0n);
  return { buyers: buyers.length, revenue_fen: String(revenue), top_fifth_revenue_fen: String(top),
           cells, digest: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

async function rfm(db, zoneSeconds) {
  const day = (column) => `((${column} ${db.div} 1000000 + ${zoneSeconds}) ${db.div} 86400)`;
  const score = (column) => `1 + (5 * (rank() OVER (ORDER BY ${column}) - 1)) ${db.div} count(*) OVER ()`;
  const rows = await db.rows(`
    WITH clock AS (SELECT max(ts) AS clock_at FROM events),
    buyers AS (
      SELECT person,
             sum(CASE WHEN type = 'order_paid' THEN 1 ELSE 0 END) AS orders,
             sum(CASE WHEN type = 'order_paid' THEN amount ELSE -amount END) AS money,
             max(CASE WHEN type = 'order_paid' THEN ts END) AS last
      FROM events WHERE type IN ('order_paid', 'order_refunded') AND ts <= (SELECT clock_at FROM clock)
      GROUP BY person HAVING sum(CASE WHEN type = 'order_paid' THEN 1 ELSE 0 END) > 0)
    SELECT ${day('(SELECT clock_at FROM clock)')} - ${day('last')} AS recency, orders, money,
           ${score(day('last'))} AS r, ${score('orders')} AS f, ${score('money')} AS m
    FROM buyers`);
  return rfmResult(rows.map(([recency, orders, money, r, f, m]) => ({
    recency: Number(recency), orders: Number(orders), money: String(money),
    r: Number(r), f: Number(f), m: Number(m) })));
}

// ---- siyu's CLI output in the same shapes --------------------------------------------------

function siyuResult(metric, output) {
  const json = JSON.parse(readFileSync(output));
  if (metric === 'funnel') return { steps: json.steps.map((s) => s.customers) };
  if (metric === 'retention') {
    return { cohorts: json.cohorts.map((c) => [c.start, c.size, ...c.retained]) };
  }
  return rfmResult(json.customers.map((c) => ({
    recency: c.recency_days, orders: c.orders, money: String(c.revenue_fen), r: c.r, f: c.f, m: c.m })));
}

// ---- main ------------------------------------------------------------------------------------

const usage = 'usage: node peers.mjs duckdb|sqlite|clickhouse load|funnel|retention|rfm DB ARGS...';
if (engineName === 'siyu') {
  console.log(JSON.stringify({ result: siyuResult(command, file) }));
} else {
  const engines = { duckdb, sqlite, clickhouse };
  const metrics = { funnel, retention, rfm, 'window-funnel': windowFunnel };
  if (!engines[engineName] || !(command === 'load' || metrics[command])) {
    console.error(usage);
    process.exit(2);
  }
  const db = await engines[engineName]();
  if (command === 'load') {
    await load(db, rest[0]);
  } else {
    const start = performance.now();
    const result = await metrics[command](db, ...rest);
    const seconds = (performance.now() - start) / 1000;
    console.log(JSON.stringify({ result, query_seconds: Number(seconds.toFixed(4)) }));
  }
  db.session?.close();
}
