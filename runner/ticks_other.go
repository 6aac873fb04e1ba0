//go:build !js

package runner

import "time"

// needTicks: natively the Go scheduler preempts a looping goroutine by
// itself, so loops run uninstrumented.
const needTicks = false

// yieldEvery: natively no loop is instrumented, and there is no host event
// loop to yield to.
const yieldEvery time.Duration = 0
