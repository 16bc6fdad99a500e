// The SQLite write thread. Plain JavaScript on purpose: a Worker does not inherit the tsx loader
// the main thread registers, so this file cannot import TypeScript. Everything it needs (file,
// pragmas, table specs) arrives in workerData from sqlite-write-thread.ts.
//
// Protocol (main → worker): { type: 'rows', id, table, values } appends flattened rows to batch
// `id`; { type: 'commit', id } writes everything appended to `id` in one transaction and answers
// { type: 'ack', id } or { type: 'nack', id, message, code }; { type: 'discard', id } forgets a
// batch; { type: 'close' } closes the connection and ends the thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @typedef {{ table: string, columns: string[], onConflict: string }} TableSpec */

/** @param {TableSpec} spec */
function insertOneRowSql(spec) {
  const columns = spec.columns.map((c) => `"${c}"`).join(', ');
  const slots = spec.columns.map(() => '?').join(', ');
  return `insert into "${spec.table}" (${columns}) values (${slots}) ${spec.onConflict}`;
}

function open() {
  const db = new Database(workerData.file);
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  /** @type {Map<string, { width: number, insert: import('better-sqlite3').Statement }>} */
  const tables = new Map();
  for (const spec of workerData.tables) {
    tables.set(spec.table, { width: spec.columns.length, insert: db.prepare(insertOneRowSql(spec)) });
  }
  return { db, tables };
}

let opened;
try {
  opened = open();
} catch (err) {
  parentPort.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
  parentPort.close();
}

if (opened !== undefined) {
  const { db, tables } = opened;
  /** @type {Map<number, Array<{ table: string, values: unknown[] }>>} */
  const pending = new Map();

  const writeBatch = db.transaction((chunks) => {
    for (const { table, values } of chunks) {
      const target = tables.get(table);
      if (target === undefined) throw new Error(`unknown log table ${table}`);
      const { width, insert } = target;
      for (let start = 0; start < values.length; start += width) {
        insert.run(values.slice(start, start + width));
      }
    }
  });

  parentPort.on('message', (msg) => {
    switch (msg.type) {
      case 'rows': {
        const chunks = pending.get(msg.id);
        if (chunks === undefined) pending.set(msg.id, [{ table: msg.table, values: msg.values }]);
        else chunks.push({ table: msg.table, values: msg.values });
        return;
      }
      case 'commit': {
        const chunks = pending.get(msg.id) ?? [];
        pending.delete(msg.id);
        try {
          writeBatch(chunks);
          parentPort.postMessage({ type: 'ack', id: msg.id });
        } catch (err) {
          parentPort.postMessage({
            type: 'nack',
            id: msg.id,
            message: err instanceof Error ? err.message : String(err),
            code: typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined,
          });
        }
        return;
      }
      case 'discard':
        pending.delete(msg.id);
        return;
      case 'close':
        db.close();
        parentPort.close();
        return;
      default:
        parentPort.postMessage({ type: 'nack', id: msg.id, message: `unknown message type ${String(msg.type)}` });
    }
  });

  parentPort.postMessage({ type: 'ready' });
}
