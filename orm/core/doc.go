// Package core is ORM Lab's SQL core, in the spirit of SQLAlchemy Core:
// schema objects (MetaData, Table, Column, types, constraints, indexes),
// an expression language (Select, Insert, Update, Delete, Union, DDL) and
// one compiler that turns a statement into SQL for any dialect.
//
// The compiler walks the tree once (one visit method per node kind) and
// asks the dialect, through the dialect.Dialect interface, for everything
// that differs: quoting, placeholders, LIMIT/TOP/OFFSET…FETCH,
// RETURNING/OUTPUT, type names, boolean literals. Statements never panic
// while being built: mistakes are recorded and returned by Compile as typed
// errors naming the construct and the dialect.
//
// Nothing here is generic and no method needs to be implemented by the
// caller, so the API works from code run by the yaegi interpreter.
package core
