package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"ormlab/lessons"
	"ormlab/wasm/app/ui"
)

// chromaStyle colours the build-time highlighting (lesson code blocks and
// the prerendered program); the CSS goes to web/chroma.css.
const chromaStyle = "github"

var chromaFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.TabWidth(4))

// highlight writes code as chroma-highlighted HTML; unknown languages are
// escaped plain text.
func highlight(w io.Writer, code, lang string) error {
	lx := lexers.Get(lang)
	if lx == nil {
		lx = lexers.Fallback
	}
	it, err := chroma.Coalesce(lx).Tokenise(nil, code)
	if err != nil {
		return fmt.Errorf("highlighting %s code: %w", lang, err)
	}
	return chromaFormatter.Format(w, styles.Get(chromaStyle), it)
}

// chromaCSS returns the stylesheet for the classes highlight emits.
func chromaCSS() (string, error) {
	var b bytes.Buffer
	if err := chromaFormatter.WriteCSS(&b, styles.Get(chromaStyle)); err != nil {
		return "", err
	}
	return b.String(), nil
}

// codeBlocks renders fenced code blocks with chroma (goldmark's default
// would print them unhighlighted).
type codeBlocks struct{}

func (codeBlocks) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkSkipChildren, nil
		}
		fc := n.(*ast.FencedCodeBlock)
		var code strings.Builder
		for i := 0; i < fc.Lines().Len(); i++ {
			seg := fc.Lines().At(i)
			code.Write(seg.Value(src))
		}
		return ast.WalkSkipChildren, highlight(w, code.String(), string(fc.Language(src)))
	})
}

var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(codeBlocks{}, 100))),
)

// renderLesson turns a lesson as written into the form the UI ships.
func renderLesson(l lessons.Lesson) (ui.Lesson, error) {
	var text bytes.Buffer
	if err := markdown.Convert([]byte(l.Markdown), &text); err != nil {
		return ui.Lesson{}, fmt.Errorf("lesson %s: rendering Markdown: %w", l.Dir, err)
	}
	out := ui.Lesson{Slug: l.Slug, Title: l.Title, Summary: l.Summary, Order: l.Order, HTML: text.String(),
		Exercise: l.Exercise, Checks: l.Checks}
	for _, f := range l.Files {
		out.Files = append(out.Files, ui.File{Name: f.Name, Content: f.Content})
	}
	for _, f := range l.Solution {
		out.Solution = append(out.Solution, ui.File{Name: f.Name, Content: f.Content})
	}
	var prog bytes.Buffer
	if err := highlight(&prog, l.Files[0].Content, "go"); err != nil {
		return ui.Lesson{}, fmt.Errorf("lesson %s: %w", l.Dir, err)
	}
	out.ProgramHTML = prog.String()
	return out, nil
}

// renderCatalog renders every lesson.
func renderCatalog(ls []lessons.Lesson) (ui.Catalog, error) {
	var c ui.Catalog
	for _, l := range ls {
		r, err := renderLesson(l)
		if err != nil {
			return c, err
		}
		c.Lessons = append(c.Lessons, r)
	}
	return c, nil
}
