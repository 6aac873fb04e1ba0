package orm

// Relationships in ORM Lab — what is supported and where Go differs from
// SQLAlchemy. (The code: relationship.go resolves, cascade.go writes,
// loading.go reads, inherit.go does joined-table inheritance.)
//
// # Kinds
//
// A relationship is a field of pointer type (*Model) or slice-of-pointer
// type ([]*Model) to another mapped model, tagged `orm:"relationship,…"`.
// Its kind follows from the Go type and the foreign keys:
//
//	[]*Child, key on the child's table            one-to-many
//	*Parent, key on this table                     many-to-one
//	*Child, key on the child's table               one-to-one (SQLAlchemy's uselist=False)
//	*Parent whose back side is a pointer too       one-to-one (the side holding the key)
//	[]*Other with secondary:table                  many-to-many through the association table
//	a model with two many-to-ones                  an association object (Cast between Film and Actor)
//	*Self / []*Self on one table                   adjacency list (manager / reports); Go's types
//	                                               say which side is "remote", no remote_side needed
//
// Foreign keys are inferred when exactly one links the two tables;
// otherwise the tag names the column: foreign_key:sender_id. Composite keys
// work (ForeignKeyConstraint in TableArgs). Base.Configure reports every
// problem at once; Base.Relationships lists them (for the trace's schema).
//
// Joined-table inheritance: base.MapInherited(Sub{}, "subs", Base{}) for a
// struct embedding the base struct, with PolymorphicOn / PolymorphicIdentity
// (inherit.go). Single-table inheritance is not implemented.
//
// # When the two sides of back_populates agree
//
// Go has no attribute events: assigning child.Author = a or appending to
// a.Books changes a Go value and nothing else. The session reconciles both
// sides at these moments only:
//
//   - at every flush — Commit, Flush, and the autoflush before a query, a
//     Get or a Load — by comparing each relationship field with what it
//     held at the previous flush or load (rules in cascade.go's header);
//   - when relationships are loaded (Load, SelectinLoad, JoinedLoad,
//     lazy:selectin / lazy:joined): the loaded children's back pointers are
//     set to their parent;
//   - at rollback: references follow their reverted foreign keys and
//     collections keep the children whose key still points at the parent;
//     a many-to-many collection becomes unloaded (nil).
//
// So right after tolkien.Books = append(tolkien.Books, hobbit), hobbit.Author
// is still nil and hobbit.AuthorID 0; after the next flush both are set.
//
// A nil slice is "not loaded", never "empty": a flush does not read it, and
// Load fills it (with an empty, non-nil slice when there are no rows). To
// remove every child, assign an empty slice. A nil pointer of an object the
// session loaded without that relationship is "not loaded" too; setting it
// to nil after it was loaded unlinks.
//
// An object joins the session when it is added or when it is reachable from
// an object in the session through relationship fields with save-update
// (the default). An object that only points at a session object
// (b.Author = a, with b in no collection) is not found: add it.
//
// # Cascades
//
// Default save-update,merge. delete: deleting the parent deletes its
// children (loaded by one SELECT unless passive_deletes:true, which leaves
// them to the database's ON DELETE CASCADE). delete-orphan: a child removed
// from its parent's collection (or unlinked from the child side) is
// deleted. Without delete cascade, a deleted parent's children get a NULL
// key, and a NOT NULL key is an error (ErrOrphan) — as is a cycle of new
// objects that cannot be ordered (ErrCycle). Merge follows relationships
// with merge cascade.
//
// # Loading
//
// There is no implicit lazy loading: session.Load(obj, "Books") is the
// explicit lazy load (one statement per call; in a loop that is the N+1,
// visible in the trace), session.Load(slice, "Books") loads a batch,
// Query.Options(SelectinLoad(…)/JoinedLoad(…)/RaiseLoad(…)/LazyLoad(…)) and
// the lazy: tag choose per query or per relationship. Query.Join("Books")
// joins along a relationship by name.
