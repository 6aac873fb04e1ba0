package ui

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"ormlab/lessons/check"
	"ormlab/runner/trace"
)

// ExerciseStatus is what the exercise box says about the last run: not run
// yet, running, done, or not yet with the reasons.
type ExerciseStatus struct {
	State    string          // "idle", "running", "passed", "failed", "broken"
	Outcomes []check.Outcome // every rule's verdict (passed and failed)
	Message  string          // why there is no verdict (no trace, bad rules)
}

// EvaluateExercise checks a lesson's rules against the last run. running
// and runMsg describe a run with no trace (still going, stopped, failed to
// start).
func EvaluateExercise(l Lesson, tr *trace.Trace, running bool, runMsg string) ExerciseStatus {
	rules, err := check.ParseAll(l.Checks)
	if err != nil {
		return ExerciseStatus{State: "broken", Message: err.Error()}
	}
	switch {
	case running:
		return ExerciseStatus{State: "running"}
	case runMsg != "":
		return ExerciseStatus{State: "failed", Message: "The run did not finish: " + runMsg}
	case tr == nil:
		return ExerciseStatus{State: "idle"}
	}
	res := check.Run(rules, tr)
	st := ExerciseStatus{State: "failed", Outcomes: res.Outcomes}
	if res.Passed {
		st.State = "passed"
	}
	return st
}

// exerciseKey is what an exercise verdict depends on.
type exerciseKey struct {
	slug    string
	tr      *trace.Trace
	running bool
	runMsg  string
}

// exerciseStatus is the verdict on the last run, evaluated once per run
// and shared by the box under the text and the badge next to Run.
func (c *Lab) exerciseStatus() ExerciseStatus {
	k := exerciseKey{c.lesson.Slug, c.tr, c.running, c.runMsg}
	if c.exKey == nil || *c.exKey != k {
		c.exStatus = EvaluateExercise(c.lesson, c.tr, c.running, c.runMsg)
		c.exKey = &k
	}
	return c.exStatus
}

// renderExercise is the lesson's exercise box under its text: the task,
// then, after a run, whether it is done and, if not, why not.
func (c *Lab) renderExercise() app.UI {
	if c.lesson.Exercise == "" {
		return nil
	}
	st := c.exerciseStatus()
	var verdict app.UI
	switch st.State {
	case "idle":
		verdict = app.P().Class("verdict").Text("Edit the program, then Run it to check your work.")
	case "running":
		verdict = app.P().Class("verdict").Text("Checking…")
	case "passed":
		verdict = app.P().Class("verdict pass").Text("✓ Done — every check passes.")
	case "broken":
		verdict = app.P().Class("verdict fail").Text("This exercise cannot be checked: " + st.Message)
	default:
		if st.Message != "" {
			verdict = app.P().Class("verdict fail").Text("Not yet. " + st.Message)
			break
		}
		verdict = app.Div().Body(
			app.P().Class("verdict fail").Text("Not yet:"),
			app.Ul().Class("checks").Body(app.Range(st.Outcomes).Slice(func(i int) app.UI {
				o := st.Outcomes[i]
				if o.OK {
					return app.Li().Class("ok").Text("✓ " + o.Rule)
				}
				return app.Li().Class("no").Text("✗ " + o.Why)
			})),
		)
	}
	return app.Section().ID("exercise").Class("exercise").DataSet("state", st.State).Aria("live", "polite").Body(
		app.H2().Text("Exercise"),
		app.P().Class("task").Text(c.lesson.Exercise),
		verdict,
		c.renderSolution(),
	)
}

// renderExerciseBadge is the exercise's verdict next to Run, so that the
// learner sees it without scrolling the text; a click shows the exercise.
func (c *Lab) renderExerciseBadge() app.UI {
	if c.play || c.lesson.Exercise == "" {
		return nil
	}
	st := c.exerciseStatus()
	label := "Exercise"
	switch st.State {
	case "passed":
		label = "Exercise ✓ done"
	case "failed", "broken":
		label = "Exercise: not yet"
	case "running":
		label = "Exercise: checking…"
	}
	return app.Button().ID("exercise-badge").Type("button").Class("exercise-badge").DataSet("state", st.State).
		Title("Show the exercise").Text(label).
		OnClick(func(ctx app.Context, e app.Event) {
			if el := app.Window().GetElementByID("exercise"); el.Truthy() {
				el.Call("scrollIntoView", map[string]any{"behavior": "smooth", "block": "center"})
			}
		})
}

// renderSolution shows one solution on demand, read-only: loading it into
// the editor would replace the learner's own attempt.
func (c *Lab) renderSolution() app.UI {
	sol := c.lesson.Solution
	if len(sol) == 0 {
		return nil
	}
	return app.Details().ID("solution").Class("solution").Body(
		app.Summary().Text("Show a solution"),
		app.Range(sol).Slice(func(i int) app.UI {
			return app.Div().Body(
				app.If(len(sol) > 1, app.P().Class("file").Text(sol[i].Name)),
				app.Pre().Class("solution-code").Text(sol[i].Content),
			)
		}),
	)
}
