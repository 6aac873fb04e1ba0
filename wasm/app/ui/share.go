package ui

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ShareVersion is the version of the share-link format this build writes
// and reads. A link carries it so that a future format can still recognise
// (and explain) old links instead of misreading them.
const ShareVersion = 1

// shareFragmentPrefix starts the URL fragment of a share link:
// #c=<base64url(deflate(json))>.
const shareFragmentPrefix = "c="

// maxShareJSON bounds the inflated size of a link, so that a hostile link
// cannot make the page inflate gigabytes. 20 KB programs are far below it.
const maxShareJSON = 4 << 20

// SharedState is everything a share link reproduces.
type SharedState struct {
	V       int    `json:"v"`
	Lesson  string `json:"lesson,omitempty"` // slug; empty for the playground
	Files   []File `json:"files"`
	Dialect string `json:"dialect,omitempty"` // dialect shown on narrow screens
	Tab     string `json:"tab,omitempty"`
}

// Errors of DecodeShare, for errors.Is.
var (
	ErrShareCorrupt = errors.New("the shared link is damaged")
	ErrShareVersion = errors.New("the shared link was made by an unknown version of ORM Lab")
)

// EncodeShare returns the fragment (without '#') for s.
func EncodeShare(s SharedState) (string, error) {
	s.V = ShareVersion
	raw, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := w.Write(raw); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return shareFragmentPrefix + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// IsShareFragment reports whether a URL fragment (with or without '#') is a
// share link at all; other fragments (#heading anchors) are left alone.
func IsShareFragment(fragment string) bool {
	return strings.HasPrefix(strings.TrimPrefix(fragment, "#"), shareFragmentPrefix)
}

// DecodeShare parses a fragment made by EncodeShare. Errors wrap
// ErrShareCorrupt or ErrShareVersion and say what is wrong.
func DecodeShare(fragment string) (SharedState, error) {
	var s SharedState
	payload, ok := strings.CutPrefix(strings.TrimPrefix(fragment, "#"), shareFragmentPrefix)
	if !ok {
		return s, fmt.Errorf("%w: it does not start with %q", ErrShareCorrupt, shareFragmentPrefix)
	}
	// Links pasted through mail or chat sometimes gain padding or lose the
	// URL-safe alphabet; accept both rather than fail on a cosmetic change.
	payload = strings.TrimRight(payload, "=")
	payload = strings.NewReplacer("+", "-", "/", "_").Replace(payload)
	comp, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return s, fmt.Errorf("%w: it is not valid base64url (%v)", ErrShareCorrupt, err)
	}
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(comp)), maxShareJSON+1))
	if err != nil {
		return s, fmt.Errorf("%w: it cannot be decompressed (%v); part of it may be missing", ErrShareCorrupt, err)
	}
	if len(raw) > maxShareJSON {
		return s, fmt.Errorf("%w: it expands to more than %d bytes", ErrShareCorrupt, maxShareJSON)
	}
	var probe struct {
		V int `json:"v"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return s, fmt.Errorf("%w: its contents are not valid JSON (%v)", ErrShareCorrupt, err)
	}
	if probe.V != ShareVersion {
		return s, fmt.Errorf("%w (format v%d; this page reads v%d)", ErrShareVersion, probe.V, ShareVersion)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("%w: its contents do not match format v%d (%v)", ErrShareCorrupt, ShareVersion, err)
	}
	if len(s.Files) == 0 {
		return s, fmt.Errorf("%w: it holds no program", ErrShareCorrupt)
	}
	for _, f := range s.Files {
		if f.Name == "" || !strings.HasSuffix(f.Name, ".go") || strings.ContainsAny(f.Name, "/\\") {
			return s, fmt.Errorf("%w: it holds a file with the bad name %q", ErrShareCorrupt, f.Name)
		}
	}
	if s.Dialect != "" && dialectIndex(s.Dialect) < 0 {
		s.Dialect = ""
	}
	return s, nil
}

// sharedTab reports whether a share link may open on tab.
func sharedTab(tab string) bool {
	switch tab {
	case "sql", "tables", "diagram", "pool":
		return true
	}
	return false
}
