package main

import (
	"log"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// rawLengthHeader carries a file's uncompressed size when it is served
// compressed, so go-app's loader can show wasm download progress.
const rawLengthHeader = "X-Raw-Content-Length"

var contentTypes = map[string]string{
	".wasm":        "application/wasm",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".html":        "text/html; charset=utf-8",
	".json":        "application/json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".webmanifest": "application/manifest+json",
	".txt":         "text/plain; charset=utf-8",
}

// Site serves a built site the way a static host does: /lessons/x is
// lessons/x.html, / is index.html; files are sent precompressed (.br, .gz)
// when the client accepts it, with correct MIME types.
type Site struct {
	Dir  string
	Base string // sub-path the site was built for
}

// Serve serves dir on addr until it fails.
func Serve(dir, addr, base string) error {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return err
	}
	log.Printf("serving %s on http://%s%s/", dir, displayAddr(addr), base)
	return http.ListenAndServe(addr, &Site{Dir: dir, Base: base})
}

func displayAddr(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "localhost" + addr
	}
	return addr
}

func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if base := "/" + strings.Trim(s.Base, "/"); base != "/" {
		if p == base {
			http.Redirect(w, r, base+"/", http.StatusMovedPermanently)
			return
		}
		rest, ok := strings.CutPrefix(p, base+"/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		p = "/" + rest
	}
	file, ok := s.resolve(path.Clean("/" + p))
	if !ok {
		http.NotFound(w, r)
		return
	}
	ct := contentTypes[filepath.Ext(file)]
	if ct == "" {
		ct = mime.TypeByExtension(filepath.Ext(file))
	}
	if ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	// Revalidate every time: builds change files under the same names.
	w.Header().Set("Cache-Control", "no-cache")
	send := file
	if compressible[filepath.Ext(file)] {
		w.Header().Add("Vary", "Accept-Encoding")
		accept := r.Header.Get("Accept-Encoding")
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if acceptsEncoding(accept, enc.token) && isFile(file+enc.ext) {
				if st, err := os.Stat(file); err == nil {
					w.Header().Set(rawLengthHeader, strconv.FormatInt(st.Size(), 10))
				}
				w.Header().Set("Content-Encoding", enc.token)
				send = file + enc.ext
				break
			}
		}
	}
	f, err := os.Open(send)
	if err != nil {
		http.Error(w, "cannot read file", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, "cannot read file", http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, "", st.ModTime(), f)
}

// resolve maps a clean URL path to a file in the site.
func (s *Site) resolve(p string) (string, bool) {
	rel := filepath.FromSlash(strings.TrimPrefix(p, "/"))
	var cands []string
	if p == "/" {
		cands = []string{"index.html"}
	} else {
		cands = []string{rel, rel + ".html", filepath.Join(rel, "index.html")}
	}
	for _, c := range cands {
		full := filepath.Join(s.Dir, c)
		if isFile(full) {
			return full, true
		}
	}
	return "", false
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// acceptsEncoding reports whether an Accept-Encoding header allows token
// (present and not q=0).
func acceptsEncoding(header, token string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), token) {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		if q, ok := strings.CutPrefix(params, "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}
