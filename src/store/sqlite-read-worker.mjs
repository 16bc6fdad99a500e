// One reader thread of the SQLite read pool. Plain JavaScript for the same reason as
// sqlite-write-worker.mjs: a Worker does not inherit the main thread's TypeScript loader.
//
// Protocol (main → worker): { id, sql, parameters } runs one statement on this thread's read-only
// connection and answers { id, rows } (or { id, numAffectedRows } for a statement that returns no
// rows) or { id, error, code }. { type: 'close' } closes the connection and ends the thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

// Analytics issue a few dozen distinct statements; the cap only guards against a caller that
// builds statements with inlined values.
const MAX_CACHED_STATEMENTS = 256;

let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  for (const pragma of workerData.pragmas) db.pragma(pragma);
} catch (err) {
  parentPort.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
  parentPort.close();
}

if (db !== undefined) {
  /** @type {Map<string, import('better-sqlite3').Statement>} */
  const statements = new Map();
  const prepared = (text) => {
    let stmt = statements.get(text);
    if (stmt === undefined) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      stmt = db.prepare(text);
      statements.set(text, stmt);
    }
    return stmt;
  };

  parentPort.on('message', (msg) => {
    if (msg.type === 'close') {
      db.close();
      parentPort.close();
      return;
    }
    try {
      const stmt = prepared(msg.sql);
      if (stmt.reader) parentPort.postMessage({ id: msg.id, rows: stmt.all(msg.parameters) });
      else parentPort.postMessage({ id: msg.id, numAffectedRows: stmt.run(msg.parameters).changes });
    } catch (err) {
      parentPort.postMessage({
        id: msg.id,
        error: err instanceof Error ? err.message : String(err),
        code: typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined,
      });
    }
  });

  parentPort.postMessage({ type: 'ready' });
}
