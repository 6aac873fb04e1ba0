//go:build js

package runner

import "time"

// needTicks: js/wasm has no goroutine preemption (see prepare).
const needTicks = true

// yieldEvery: how often a looping program lets the browser worker's event
// loop run (to read a cancel message), see tick. A yield costs a timer turn
// (~1–4 ms in a browser), so a tight loop loses a few per cent.
const yieldEvery = 50 * time.Millisecond
