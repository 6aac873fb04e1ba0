package runner_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ormlab/lessons"
	"ormlab/lessons/check"
	"ormlab/runner"
	"ormlab/runner/progs"
	"ormlab/runner/trace"
)

// Every lesson has an exercise; its checks fail on the lesson's program as
// given (the learner has something to do) and pass on the solution kept in
// the lesson's solution/ directory (the exercise can be done, and the
// checks accept it).
func TestLessonExercises(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	root, err := progs.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		t.Run(l.Dir, func(t *testing.T) {
			if l.Exercise == "" {
				t.Fatalf("lesson %s has no exercise (front matter: exercise: … and check: … lines)", l.Dir)
			}
			rules, err := check.ParseAll(l.Checks)
			if err != nil {
				t.Fatal(err)
			}
			var files []runner.File
			for _, f := range l.Files {
				files = append(files, runner.File{Name: f.Name, Content: f.Content})
			}
			given := runExercise(files)
			if res := check.Run(rules, given); res.Passed {
				t.Errorf("the lesson's own program already passes the exercise %q", l.Exercise)
			}
			sol, err := progs.Find(root, filepath.Join("lessons", l.Dir, "solution"))
			if err != nil {
				t.Fatal(err)
			}
			if len(sol) != 1 {
				t.Fatalf("lesson %s: want one program in solution/, found %d", l.Dir, len(sol))
			}
			tr := runExercise(sol[0].Files)
			if res := check.Run(rules, tr); !res.Passed {
				var why []string
				for _, o := range res.Outcomes {
					if !o.OK {
						why = append(why, o.Rule+": "+o.Why)
					}
				}
				t.Errorf("the solution fails the checks:\n%s\noutput:\n%s", strings.Join(why, "\n"), tr.Stdout)
			}
		})
	}
}

func runExercise(files []runner.File) *trace.Trace {
	return runner.Run(context.Background(), runner.Request{Files: files, Timeout: 20 * time.Second})
}
