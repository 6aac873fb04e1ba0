package relationships

import (
	"errors"
	"strings"

	"ormlab/orm"
)

type Orphanless struct {
	ID   int    `orm:"primary_key"`
	Kids []*Kid `orm:"relationship,back_populates:Parent"`
}

type Kid struct {
	ID       int         `orm:"primary_key"`
	ParentID int         `orm:"foreign_key:orphanless.id"`
	Parent   *Orphanless `orm:"relationship,back_populates:Kids"`
}

type Ghost struct{ ID int }

type Haunted struct {
	ID    int    `orm:"primary_key"`
	Ghost *Ghost `orm:"relationship"`
}

type BadBack struct {
	ID   int    `orm:"primary_key"`
	Kids []*Kid `orm:"relationship,back_populates:Nope"`
}

type Message struct {
	ID          int    `orm:"primary_key"`
	SenderID    int    `orm:"foreign_key:people2.id"`
	RecipientID int    `orm:"foreign_key:people2.id"`
	Sender      *Who   `orm:"relationship"`
	Body        string `orm:"size:20"`
}

type Who struct {
	ID int `orm:"primary_key"`
}

type Chicken struct {
	ID    int  `orm:"primary_key"`
	EggID *int `orm:"foreign_key:eggs.id"`
	Egg   *Egg `orm:"relationship,foreign_key:egg_id"`
}

type Egg struct {
	ID        int      `orm:"primary_key"`
	ChickenID *int     `orm:"foreign_key:chickens.id"`
	Chicken   *Chicken `orm:"relationship,foreign_key:chicken_id"`
}

func caseErrors(v *env) {
	t := v.t
	// configuration errors name the model and field
	for _, c := range []struct {
		models []any
		want   []string
	}{
		{[]any{Haunted{}, "haunted"}, []string{"Haunted.Ghost", "not mapped"}},
		{[]any{Kid{}, "kids", BadBack{}, "orphanless"}, []string{"BadBack.Kids", "back_populates:Nope", "Kid"}},
		{[]any{Who{}, "people2", Message{}, "messages"}, []string{"Message.Sender", "ambiguous", "messages.sender_id", "messages.recipient_id", "foreign_key"}},
	} {
		b := orm.NewBase()
		for i := 0; i < len(c.models); i += 2 {
			if _, err := b.Map(c.models[i], c.models[i+1].(string)); err != nil {
				t.Fatal(err)
			}
		}
		err := b.Configure()
		if !errors.Is(err, orm.ErrRelationship) || !errors.Is(err, orm.ErrMapping) {
			t.Fatalf("want a relationship error, got %v", err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q does not mention %q", err, w)
			}
		}
	}
	// deleting a parent whose children would be orphaned (NOT NULL key, no cascade)
	v.setup(Orphanless{}, "orphanless", Kid{}, "kids", Chicken{}, "chickens", Egg{}, "eggs")
	s := v.session()
	p := &Orphanless{Kids: []*Kid{{}, {}}}
	must(t, s.Add(p))
	must(t, s.Commit())
	must(t, s.Delete(p))
	err := s.Commit()
	if !errors.Is(err, orm.ErrOrphan) || !errors.Is(err, orm.ErrFlush) || !strings.Contains(err.Error(), "kids.parent_id") {
		t.Fatalf("orphan: %v", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "flush: relationship Orphanless.Kids: ") || strings.Count(msg, "relationship ") != 1 {
		t.Fatalf("orphan message says the model once: %q", msg)
	}
	// the session is usable: give the kids away, then delete
	q := &Orphanless{}
	for _, k := range p.Kids {
		k.Parent = q
	}
	must(t, s.Add(q))
	must(t, s.Delete(p))
	must(t, s.Commit())
	if n := v.count64("SELECT count(*) FROM kids WHERE parent_id = " + itoa(q.ID)); n != 2 {
		t.Fatalf("kids moved: %d", n)
	}
	// a cycle of new objects
	c, e := &Chicken{}, &Egg{}
	c.Egg, e.Chicken = e, c
	must(t, s.Add(c))
	err = s.Commit()
	if !errors.Is(err, orm.ErrCycle) {
		t.Fatalf("cycle: %v", err)
	}
	must(t, s.Add(&Chicken{}))
	must(t, s.Commit())
	// a relationship name that does not exist
	if err := s.Load(q, "Children"); !errors.Is(err, orm.ErrRelationship) || !strings.Contains(err.Error(), "Kids") {
		t.Fatalf("bad load: %v", err)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
