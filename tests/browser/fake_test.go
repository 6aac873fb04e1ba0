//go:build browsertest

package browser

// fakeWorkerJS speaks the runner protocol but returns a canned trace: the
// SQL (four dialects, parameters, a string literal holding HTML) and
// Tables views can be checked whatever state the ORM and runner are in.
const fakeWorkerJS = `"use strict";
const trace = {
  stdout: "The Hobbit by J. R. R. Tolkien\n<b>not bold</b>\n",
  error: null,
  statements: [
    {seq: 1, kind: "ddl", executed: "sqlite", conn: 1, params: [], rows_affected: 0, rows_returned: 0, duration_us: 50,
     sql: {sqlite: "CREATE TABLE authors (\n\tid INTEGER NOT NULL, \n\tname VARCHAR(100) NOT NULL, \n\tPRIMARY KEY (id)\n)",
           postgresql: "CREATE TABLE authors (\n\tid SERIAL NOT NULL, \n\tname VARCHAR(100) NOT NULL, \n\tPRIMARY KEY (id)\n)",
           mysql: "CREATE TABLE authors (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tname VARCHAR(100) NOT NULL, \n\tPRIMARY KEY (id)\n)",
           mssql: "CREATE TABLE authors (\n\tid INTEGER NOT NULL IDENTITY, \n\tname VARCHAR(100) NOT NULL, \n\tPRIMARY KEY (id)\n)"}},
    {seq: 2, kind: "insert", executed: "sqlite", conn: 1, params: ["J. R. R. Tolkien"], rows_affected: 1, rows_returned: 0, duration_us: 30,
     sql: {sqlite: "INSERT INTO authors (name) VALUES (?)", postgresql: "INSERT INTO authors (name) VALUES (%(name)s) RETURNING authors.id",
           mysql: "INSERT INTO authors (name) VALUES (%s)", mssql: "INSERT INTO authors (name) OUTPUT inserted.id VALUES (?)"}},
    {seq: 3, kind: "select", executed: "sqlite", conn: 1, params: ["<img src=x onerror=alert(1)>", 5], rows_affected: 0, rows_returned: 1, duration_us: 20,
     sql: {sqlite: "SELECT books.title FROM books WHERE books.title != '<i>x</i>' LIMIT ?", postgresql: "SELECT books.title FROM books WHERE books.title != '<i>x</i>' LIMIT %(param_1)s",
           mysql: "SELECT books.title FROM books WHERE books.title != '<i>x</i>' LIMIT %s", mssql: "SELECT TOP 5 books.title FROM books WHERE books.title != '<i>x</i>'"}}
  ],
  pool: [],
  schema: {tables: [{name: "authors", columns: [], foreign_keys: []}, {name: "books", columns: [], foreign_keys: []}], relationships: []},
  tables: {
    authors: {columns: ["id", "name"], rows: [[1, "J. R. R. Tolkien"]]},
    books: {columns: ["id", "title", "author_id"], rows: [[1, "The Hobbit", 1], [2, "<script>alert(1)</script>", null]]}
  }
};
self.onmessage = (ev) => {
  const m = ev.data || {};
  if (m.type === "run") self.postMessage({type: "result", id: m.id, trace});
};
self.postMessage({type: "ready"});
`
