package core

// NoReturningNote heads a statement shown without the RETURNING clause its
// dialect cannot run (see StripReturning).
const NoReturningNote = "-- no RETURNING here: generated keys come from the driver's last insert id\n"

// StripReturning returns a copy of an INSERT, UPDATE or DELETE without its
// RETURNING (OUTPUT) list, and whether it had one. Display code uses it to
// show a statement on a dialect that has no RETURNING (MySQL) the way that
// dialect would run it: the plain statement, with generated keys read through
// the driver's last insert id instead.
func StripReturning(stmt Executable) (Executable, bool) {
	switch s := stmt.(type) {
	case *InsertStmt:
		if s != nil && len(s.returning) > 0 {
			c := s.clone()
			c.returning = nil
			return c, true
		}
	case *UpdateStmt:
		if s != nil && len(s.returning) > 0 {
			c := s.clone()
			c.returning = nil
			return c, true
		}
	case *DeleteStmt:
		if s != nil && len(s.returning) > 0 {
			c := s.clone()
			c.returning = nil
			return c, true
		}
	}
	return stmt, false
}
