package runner

import (
	"encoding/json"
	"fmt"
	"time"
)

// WireRequest is a run request as JSON, the form the browser worker and
// tools send: {"files": [{"name", "content"}], "options": {"timeout_ms"…}}.
type WireRequest struct {
	Files   []File      `json:"files"`
	Options WireOptions `json:"options"`
}

// WireOptions are the optional limits of a WireRequest (0: the default).
type WireOptions struct {
	TimeoutMS      int `json:"timeout_ms,omitempty"`
	OutputLimit    int `json:"output_limit,omitempty"`
	StatementLimit int `json:"statement_limit,omitempty"`
}

// ParseWireRequest decodes a WireRequest into a Request.
func ParseWireRequest(data []byte) (Request, error) {
	var w WireRequest
	if err := json.Unmarshal(data, &w); err != nil {
		return Request{}, fmt.Errorf("runner: malformed run request: %w", err)
	}
	if len(w.Files) == 0 {
		return Request{}, fmt.Errorf("runner: run request has no files")
	}
	return Request{
		Files:          w.Files,
		Timeout:        time.Duration(w.Options.TimeoutMS) * time.Millisecond,
		OutputLimit:    w.Options.OutputLimit,
		StatementLimit: w.Options.StatementLimit,
	}, nil
}
