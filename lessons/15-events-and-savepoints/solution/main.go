// Lesson 15, solution: a refused transfer leaves a Refusal row, added after
// the savepoint is rolled back so that the rollback does not undo it.
package main

import (
	"fmt"
	"strings"

	"ormlab/orm"
)

type Account struct {
	ID      int    `orm:"primary_key"`
	Owner   string `orm:"size:50,not_null"`
	Email   string `orm:"size:100,not_null"`
	Balance int    `orm:"not_null"`
	Version int    `orm:"not_null"` // counts the account's UPDATEs
}

// Refusal records a transfer that was refused.
type Refusal struct {
	ID     int `orm:"primary_key"`
	Amount int `orm:"not_null"`
}

func main() {
	engine, err := orm.CreateEngine("sqlite://")
	check("engine", err)
	// Engine event: called after every statement run through the engine.
	statements := 0
	orm.OnAfterExecute(engine, func(ev *orm.ExecuteEvent) { statements++ })

	// Model hooks: plain functions, given to Map, called inside the flush.
	base := orm.NewBase()
	base.Map(Account{}, "accounts",
		orm.BeforeInsert(func(obj any) error {
			a := obj.(*Account)
			a.Email = strings.ToLower(a.Email)
			return nil
		}),
		orm.BeforeUpdate(func(obj any) error {
			obj.(*Account).Version++
			return nil
		}))
	base.Map(Refusal{}, "refusals")
	check("create", base.CreateAll(engine))

	// Session hook: called at the start of every flush that has work.
	session := orm.NewSession(engine, orm.BeforeFlush(func(s *orm.Session) error {
		fmt.Printf("  (flush: %d new, %d changed)\n", len(s.New()), len(s.Dirty()))
		return nil
	}))
	defer session.Close()
	ann := &Account{Owner: "Ann", Email: "Ann@Example.COM", Balance: 100}
	bob := &Account{Owner: "Bob", Email: "BOB@example.com", Balance: 20}
	check("add", session.AddAll(ann, bob))
	check("commit", session.Commit())
	fmt.Println("emails:", ann.Email, bob.Email)

	// Each transfer runs inside a SAVEPOINT: one that would overdraw is
	// undone alone, and the others still commit.
	for _, amount := range []int{30, 200, 50} {
		transfer(session, ann, bob, amount)
	}
	check("commit", session.Commit())
	fmt.Printf("Ann %d (version %d), Bob %d (version %d)\n", ann.Balance, ann.Version, bob.Balance, bob.Version)
	fmt.Println("statements run:", statements)
}

func transfer(s *orm.Session, from, to *Account, amount int) {
	sp, err := s.BeginNested() // flushes, then SAVEPOINT
	if err != nil {
		fmt.Println("savepoint:", err)
		return
	}
	from.Balance -= amount
	to.Balance += amount
	check("flush", s.Flush()) // the UPDATEs run inside the savepoint
	if from.Balance < 0 {
		fmt.Printf("refused %d: %s would have %d\n", amount, from.Owner, from.Balance)
		check("rollback", sp.Rollback()) // ROLLBACK TO SAVEPOINT; fields put back
		// Added after the rollback, so the rollback cannot undo it.
		check("record", s.Add(&Refusal{Amount: amount}))
		return
	}
	check("release", sp.Commit()) // RELEASE SAVEPOINT
	fmt.Printf("moved %d from %s to %s\n", amount, from.Owner, to.Owner)
}

// check prints an error instead of hiding it.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
	}
}
