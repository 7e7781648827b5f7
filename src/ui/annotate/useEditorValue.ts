import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { Editor, EditorSnapshot } from '../../editor/editor';

/**
 * Subscribes a component to one derived value of the editor, re-rendering only when that value
 * changes (by `equal`), so panels do not re-render on every pointer move of a drag.
 */
export function useEditorValue<T>(editor: Editor, select: (s: EditorSnapshot) => T, equal: (a: T, b: T) => boolean = Object.is): T {
  const last = useRef<{ value: T } | null>(null);
  const getSnapshot = useCallback(() => {
    const next = select(editor.getSnapshot());
    if (last.current && equal(last.current.value, next)) return last.current.value;
    last.current = { value: next };
    return next;
    // select/equal are expected to be stable in meaning; the editor is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editor]);
  return useSyncExternalStore(editor.subscribe, getSnapshot);
}

export const shallowEqual = <T extends object>(a: T, b: T): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => Object.is(v, (b as Record<string, unknown>)[k]));
