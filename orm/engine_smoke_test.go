package orm

import (
	"bytes"
	"strings"
	"testing"
)

func TestEngineSmoke(t *testing.T) {
	var echo bytes.Buffer
	e, err := CreateEngine("sqlite://", Echo(true), EchoWriter(&echo))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Dispose()
	base := NewBase()
	if _, err := base.Map(smokeUser{}, "users"); err != nil {
		t.Fatal(err)
	}
	if err := base.CreateAll(e); err != nil {
		t.Fatal(err)
	}
	s := NewSession(e)
	defer s.Close()
	a, b := &smokeUser{Name: "a"}, &smokeUser{Name: "b"}
	s.AddAll(a, b)
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if a.ID != 1 || b.ID != 2 {
		t.Fatalf("ids %d %d\n%s", a.ID, b.ID, echo.String())
	}
	sp, err := s.BeginNested()
	if err != nil {
		t.Fatal(err)
	}
	a.Name = "changed"
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := sp.Rollback(); err != nil {
		t.Fatal(err)
	}
	if a.Name != "a" {
		t.Fatalf("after nested rollback: %q", a.Name)
	}
	var got *smokeUser
	if err := s.Query(&got).FilterBy("ID", 1).One(); err != nil || got != a || got.Name != "a" {
		t.Fatal(err, got)
	}
	s.Commit()
	if !strings.Contains(echo.String(), "SAVEPOINT") {
		t.Fatalf("echo:\n%s", echo.String())
	}
	t.Log(echo.String())
}
