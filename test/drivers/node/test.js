// robotid through node-postgres (npm pg, pg-copy-streams), as an
// application team uses it.  Connects with the libpq environment (PGHOST,
// PGPORT, PGUSER, PGDATABASE) to a database where test/drivers/setup.sql
// has run.  Prints TAP and "# N passed, N failed".
'use strict';

const { Client, types } = require('pg');
const { from: copyFrom } = require('pg-copy-streams');
const { parse: parseArray } = require('postgres-array');
const { pipeline } = require('node:stream/promises');
const { Readable } = require('node:stream');

let passed = 0;
let failed = 0;
let n = 0;

function ok(cond, name, diag) {
	n += 1;
	if (cond) {
		passed += 1;
		console.log(`ok ${n} - ${name}`);
	} else {
		failed += 1;
		console.log(`not ok ${n} - ${name}`);
		if (diag !== undefined)
			console.log(`# ${JSON.stringify(diag)}`);
	}
}

function is(got, want, name) {
	ok(JSON.stringify(got) === JSON.stringify(want), name, { got, want });
}

// The error a promise rejects with, or null when it resolves.
async function failure(promise) {
	try {
		await promise;
		return null;
	} catch (err) {
		return err;
	}
}

const CODE = '86000100012320260529000000001';

async function main() {
	const client = new Client();
	await client.connect();

	// codes are strings both ways; any accepted input form goes in
	await client.query('INSERT INTO drivers.robots (id) VALUES ($1)', ['86-0001-000123-20260529000000001']);
	let r = await client.query('SELECT id, state FROM drivers.robots WHERE id = $1', [CODE]);
	is(r.rows, [{ id: CODE, state: 'manufactured' }], 'a code round-trips as its 29 digits, a state as its label');
	ok(typeof r.rows[0].id === 'string', 'a code is a JavaScript string, never a number');

	// arrays: without a parser a robot_id[] is the array's text; with the
	// parser registered by the OIDs looked up now, a JavaScript array
	const arraySql = `SELECT ARRAY[$1::robot_id, '86000100012320260529000000002'] AS ids,
	                         ARRAY['sold', 'deployed']::robot_state[] AS states`;
	r = await client.query(arraySql, [CODE]);
	is(r.rows[0].ids, `{${CODE},86000100012320260529000000002}`, 'robot_id[] is text until its parser is registered');
	const oids = await client.query(
		`SELECT t.typname, t.typarray::int AS array_oid FROM pg_type t
		  WHERE t.oid IN ('robot_id'::regtype, 'robot_state'::regtype)`);
	for (const row of oids.rows)
		types.setTypeParser(row.array_oid, (text) => parseArray(text));
	is(oids.rows.length, 2, 'the array types are looked up by name at run time');
	r = await client.query(arraySql, [CODE]);
	is(r.rows[0].ids, [CODE, '86000100012320260529000000002'], 'robot_id[] decodes to an array of strings');
	is(r.rows[0].states, ['sold', 'deployed'], 'robot_state[] decodes to an array of strings');
	r = await client.query('SELECT $1::robot_id[] AS ids', [[CODE, '86000100012320260529000000003']]);
	is(r.rows[0].ids, [CODE, '86000100012320260529000000003'], 'a JavaScript array binds as robot_id[]');

	// a rule violation names its rule: the constraint, table and schema
	let err = await failure(client.query("UPDATE drivers.robots SET state = 'deployed' WHERE id = $1", [CODE]));
	is(err && [err.code, err.constraint, err.table, err.schema],
		['23514', 'robot_lifecycle_transition', 'robots', 'drivers'],
		'a lifecycle violation exposes code, constraint, table and schema');
	ok(err && /^illegal lifecycle transition for robot 86000100012320260529000000001$/.test(err.message),
		'its message names the robot', err && err.message);
	ok(err && err.detail === 'A robot cannot move from manufactured to deployed.', 'its detail names the states',
		err && err.detail);

	err = await failure(client.query('SELECT $1::robot_id', ['86000100012320260529']));
	is(err && [err.code, err.detail], ['22P02', 'Expected 29 digits, found 20.'],
		'a malformed parameter is 22P02 with the parser\'s detail');

	// bulk loading: COPY is all or nothing, and the error names the line
	const lines = ['86000100012320260529000000011\t2026-05-29\n',
		'86000100012320260529000000012\t2026-05-29\n',
		'8600010001232026052900000001x\t2026-05-29\n',
		'86000100012320260529000000014\t2026-05-29\n'];
	err = await failure(pipeline(Readable.from(lines),
		client.query(copyFrom('COPY drivers.labels (id, printed_at) FROM STDIN'))));
	is(err && err.code, '22P02', 'a COPY with one bad code fails with 22P02');
	ok(err && /line 3, column id/.test(err.where || ''), 'the error names the line and column', err && err.where);
	r = await client.query('SELECT count(*)::int AS n FROM drivers.labels');
	is(r.rows[0].n, 0, 'nothing of the failed COPY is loaded');
	await pipeline(Readable.from(lines.filter((_, i) => i !== 2)),
		client.query(copyFrom('COPY drivers.labels (id, printed_at) FROM STDIN')));
	r = await client.query('SELECT array_agg(id ORDER BY id)::text[] AS ids FROM drivers.labels');
	is(r.rows[0].ids, ['86000100012320260529000000011', '86000100012320260529000000012',
		'86000100012320260529000000014'], 'a good COPY loads every row');

	await client.end();
}

main().catch((e) => {
	failed += 1;
	console.log(`not ok ${n + 1} - the suite ran to the end`);
	console.log(`# ${e.stack}`);
}).finally(() => {
	console.log(`1..${passed + failed}`);
	console.log(`# ${passed} passed, ${failed} failed`);
	process.exitCode = failed === 0 ? 0 : 1;
});
