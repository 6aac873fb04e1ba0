// The editor bundle: CodeMirror 6 with Go support, built by cmd/build with
// esbuild into dist/web/editor.js. It only defines window.ormlabCM; the page
// glue (web/ormlab.js) falls back to a textarea when this did not load.
import { EditorView, basicSetup } from "codemirror";
import { go } from "@codemirror/lang-go";
import { keymap, Decoration } from "@codemirror/view";
import { StateField, StateEffect } from "@codemirror/state";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";

const setError = StateEffect.define();

// The line of the last run's error, marked until the next run or edit of it.
const errorLine = StateField.define({
  create() {
    return Decoration.none;
  },
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setError)) continue;
      const n = e.value;
      if (n > 0 && n <= tr.state.doc.lines) {
        const line = tr.state.doc.line(n);
        deco = Decoration.set([Decoration.line({ class: "cm-error-line", attributes: { "data-error-line": String(n) } }).range(line.from)]);
      } else {
        deco = Decoration.none;
      }
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

window.ormlabCM = {
  create(parent, doc, onChange) {
    const view = new EditorView({
      doc,
      parent,
      extensions: [
        basicSetup,
        go(),
        indentUnit.of("\t"),
        keymap.of([indentWithTab]),
        errorLine,
        EditorView.contentAttributes.of({ "aria-label": "Go program" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
      ],
    });
    return {
      get: () => view.state.doc.toString(),
      set: (d) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: d }, effects: setError.of(0) }),
      mark: (n) => {
        view.dispatch({ effects: setError.of(n) });
        if (n > 0 && n <= view.state.doc.lines) {
          view.dispatch({ effects: EditorView.scrollIntoView(view.state.doc.line(n).from, { y: "center" }) });
        }
      },
      view,
    };
  },
};
