package ui

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// repairLocation makes the address parseable before go-app reads it: a
// mangled share link ("#c=%%…") makes url.Parse fail, and go-app would then
// navigate to a nil URL and the page would never start. Stray '%' are
// escaped, so the link is still reported as damaged, with its message.
func repairLocation() {
	defer func() { recover() }()
	href := app.Window().Get("location").Get("href").String()
	if _, err := url.Parse(href); err == nil {
		return
	}
	fixed := RepairURL(href)
	app.Window().Get("history").Call("replaceState", nil, "", fixed)
}

// RepairURL escapes every '%' that does not start a %XX escape; if the
// result still does not parse, it drops the fragment.
func RepairURL(href string) string {
	var b strings.Builder
	for i := 0; i < len(href); i++ {
		if href[i] == '%' && !(i+2 < len(href) && isHex(href[i+1]) && isHex(href[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(href[i])
	}
	out := b.String()
	if _, err := url.Parse(out); err != nil {
		out, _, _ = strings.Cut(out, "#")
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
