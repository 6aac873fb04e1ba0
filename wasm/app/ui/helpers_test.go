package ui

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"net/url"
	"testing"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// mustFrag builds a share fragment from raw JSON, bypassing EncodeShare.
func mustFrag(t *testing.T, js string) string {
	t.Helper()
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write([]byte(js))
	w.Close()
	return "c=" + base64.RawURLEncoding.EncodeToString(b.Bytes())
}
