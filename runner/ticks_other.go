//go:build !js

package runner

// needTicks: natively the Go scheduler preempts a looping goroutine by
// itself, so loops run uninstrumented.
const needTicks = false
