import { forwardRef, useState } from 'react';
import { formatPath, parsePath, type ParseResult } from '../../core/codec';
import { emptyPath } from '../../core/path';
import type { Editor } from '../../editor/editor';
import { useEditorValue } from './useEditorValue';

/**
 * The sample's HAMSTER answer text, live both ways: drawing updates the text; editing the text
 * updates the drawing as soon as it parses (each change one undo step), and text that does not
 * parse shows the parser's error right here while the drawing keeps its last valid path.
 */
export const HamsterText = forwardRef<HTMLTextAreaElement, { editor: Editor }>(function HamsterText({ editor }, ref) {
  // The path as of the last finished gesture, so a drag does not reformat text every frame.
  const path = useEditorValue(editor, (s) => (s.gestureActive ? null : s.path), (a, b) => b === null || a === b);
  const formatted = path ? formatPath(path) : '';
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);

  const onChange = (text: string) => {
    setDraft(text);
    const result = parseAnswer(text);
    if (!result.ok) {
      setError(result.error.message);
      setWarning(null);
      return;
    }
    setError(null);
    setWarning(result.warnings[0]?.message ?? null);
    if (formatPath(result.path) !== formatPath(editor.path)) editor.setPath(result.path);
  };

  return (
    <div className="field">
      <label htmlFor="hamster-text">HAMSTER answer</label>
      <textarea
        id="hamster-text"
        ref={ref}
        className={error ? 'hamster-text invalid' : 'hamster-text'}
        data-testid="hamster-text"
        spellCheck={false}
        rows={4}
        value={draft ?? formatted}
        aria-invalid={error !== null}
        aria-describedby={error ? 'hamster-error' : undefined}
        onChange={(e) => onChange(e.target.value)}
        onFocus={() => setDraft(formatted)}
        onBlur={() => {
          setDraft(null);
          setError(null);
          setWarning(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            e.currentTarget.blur();
          }
        }}
      />
      {error && (
        <div id="hamster-error" className="field-error" role="alert" data-testid="hamster-error">
          {error}
        </div>
      )}
      {warning && !error && (
        <div className="field-note muted" data-testid="hamster-warning">
          {warning}
        </div>
      )}
    </div>
  );
});

/** An empty answer (blank, or `<ans>[]</ans>`) means "no path yet", not an error. */
function parseAnswer(text: string): ParseResult {
  if (/^\s*(<ans>\s*\[\s*\]\s*<\/ans>)?\s*$/i.test(text)) return { ok: true, path: emptyPath(), warnings: [] };
  return parsePath(text);
}
