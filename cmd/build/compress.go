package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// compressible lists the extensions written also as .br and .gz.
var compressible = map[string]bool{
	".html": true, ".js": true, ".css": true, ".wasm": true, ".json": true,
	".svg": true, ".webmanifest": true, ".txt": true, ".xml": true,
}

// compressTree writes name.br and name.gz beside every compressible file,
// in parallel (brotli at its best level is slow on the wasm).
func compressTree(dir string, fast bool) (int, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if compressible[filepath.Ext(p)] {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		sem   = make(chan struct{}, runtime.NumCPU())
	)
	for _, p := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func(p string) {
			defer wg.Done()
			defer func() { <-sem }()
			if err := compressFile(p, fast); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}(p)
	}
	wg.Wait()
	return len(files), first
}

func compressFile(p string, fast bool) error {
	raw, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	brLevel, gzLevel := brotli.BestCompression, gzip.BestCompression
	if fast {
		brLevel, gzLevel = 4, gzip.DefaultCompression
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brLevel)
	if _, err := bw.Write(raw); err != nil {
		return err
	}
	if err := bw.Close(); err != nil {
		return err
	}
	var gz bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&gz, gzLevel)
	if _, err := gw.Write(raw); err != nil {
		return err
	}
	if err := gw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(p+".br", br.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(p+".gz", gz.Bytes(), 0o644)
}

// Budgets from DESIGN.md, brotli bytes.
const (
	uiBudget     = 2 << 20
	runnerBudget = 6 << 20
)

// reportSizes logs each wasm's raw and brotli size against its budget.
func reportSizes(dir string, fast bool, logf func(string, ...any)) error {
	for _, w := range []struct {
		name, path string
		budget     int64
	}{{"UI wasm", "web/app.wasm", uiBudget}, {"runner wasm", "runner.wasm", runnerBudget}} {
		raw, err := os.Stat(filepath.Join(dir, w.path))
		if err != nil {
			continue
		}
		br, err := os.Stat(filepath.Join(dir, w.path+".br"))
		if err != nil {
			return err
		}
		verdict := "within"
		if br.Size() > w.budget {
			verdict = "OVER"
		}
		if fast {
			verdict += " (fast compression)"
		}
		logf("%s: %s raw, %s brotli (%s the %s budget)", w.name, mib(raw.Size()), mib(br.Size()), verdict, mib(w.budget))
	}
	return nil
}

func mib(n int64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.2f", float64(n)/(1<<20)), "0") + " MiB"
}
