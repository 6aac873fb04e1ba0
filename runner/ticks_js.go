//go:build js

package runner

// needTicks: js/wasm has no goroutine preemption (see prepare).
const needTicks = true
